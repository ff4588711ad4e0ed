import type WebSocket from "ws";

/**
 * Sets the largest frame a connection accepts from now on. ws (8.x) fixes `maxPayload` per server
 * and has no public setter, but its receiver checks each frame's length header against
 * `_maxPayload` before buffering a byte of it, and reads it per frame: lowering it while a peer is
 * unauthenticated bounds what a stranger can make us buffer to a handshake frame. Without that
 * field (another ws), the server-wide `maxPayload` still bounds every frame.
 */
export function setFrameLimit(ws: WebSocket, bytes: number): void {
  const receiver = (ws as unknown as { _receiver?: { _maxPayload?: unknown } })._receiver;
  if (receiver !== undefined && receiver !== null && typeof receiver._maxPayload === "number")
    receiver._maxPayload = bytes;
}
