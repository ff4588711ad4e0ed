import type { RegistryEventBody, RegistryEventKind } from "./events";

/** The event body of one kind, e.g. EventOf<"VoteCast">. */
export type EventOf<K extends RegistryEventKind> = Extract<RegistryEventBody, { kind: K }>;

/**
 * Puts back exactly what one applied event changed. Each transition validates its event first,
 * then mutates and returns its undo, so a batch that fails half-way can be rolled back in O(batch).
 * A vote or a power change returns null instead: its undo is computed from the event (undoInverse),
 * which saves allocating a closure per event on the hot path.
 */
export type Undo = (() => void) | null;
