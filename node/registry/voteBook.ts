import type { Address } from "../types/primitives";
import { Ballots } from "./ballots";
import { grown } from "./grown";
import { ADDITIONS_BEFORE_NORMALIZE, LIMBS, addLimbs, normalize, readLimbs, writeLimbs } from "./limbs";

const INITIAL_CAPACITY = 1024;

/** What a removal took from a candidate's tally (its digits), to put back if the removal is undone. */
export type SavedTally = Float64Array;

/**
 * The votes of the registry state, kept for a tally of millions of events: every address is
 * interned once to a small integer (a voter id, a candidate id), and the hot path then works on
 * arrays indexed by those ids instead of string-keyed maps, with no object per event. The voters'
 * ballots are in shared typed arrays (ballots.ts); power is kept both as a BigInt
 * (compared with the token's previousVotes) and as base-2^32 digits, which the tallies add
 * without allocating (limbs.ts).
 *
 * Ids are never freed: a voter whose power and approvals are gone keeps its id and reads as absent.
 * Only the registry reducer (votes.ts, candidates.ts) changes a book; it checks events first.
 */
export class VoteBook {
  private readonly voterIds = new Map<Address, number>();
  private readonly voterAddresses: Address[] = [];
  private readonly powers: bigint[] = [];
  private powerDigits = new Uint32Array(INITIAL_CAPACITY * LIMBS);
  /** Significant digits of each voter's power: an addition touches only these. */
  private powerLengths = new Uint32Array(INITIAL_CAPACITY);
  private readonly ballots = new Ballots();
  private powered = 0;
  private voting = 0;

  private readonly candidateIds = new Map<Address, number>();
  private readonly candidateAddresses: Address[] = [];
  /** The registration whose approvals count now; 0 unless the candidate is Active (registrations start at 1). */
  private live = new Float64Array(INITIAL_CAPACITY);
  private tallies = new Float64Array(INITIAL_CAPACITY * LIMBS);
  /** Additions since the tally was normalized; 0 means `tallyValues` holds its value. */
  private additions = new Uint32Array(INITIAL_CAPACITY);
  private readonly tallyValues: bigint[] = [];

  // --- voters

  voterId(voter: Address): number | undefined {
    return this.voterIds.get(voter);
  }

  /** Interns a voter not seen before (the caller checked the address) and returns its id. */
  addVoter(voter: Address): number {
    const id = this.voterAddresses.length;
    this.voterIds.set(voter, id);
    this.voterAddresses.push(voter);
    this.powers.push(0n);
    this.ballots.reserve(id + 1);
    this.powerDigits = grown(this.powerDigits, (id + 1) * LIMBS);
    this.powerLengths = grown(this.powerLengths, id + 1);
    return id;
  }

  voterAddress(id: number): Address {
    return this.voterAddresses[id];
  }

  voterCount(): number {
    return this.voterAddresses.length;
  }

  power(voter: number): bigint {
    return this.powers[voter];
  }

  /** Accounts with non-zero power. */
  poweredCount(): number {
    return this.powered;
  }

  /** Voters holding at least one approval (live or dead). */
  votingCount(): number {
    return this.voting;
  }

  /**
   * Sets a voter's power (a uint256) and moves each of its live approvals by the difference.
   * O(the voter's approvals).
   */
  setPower(voter: number, votes: bigint): void {
    const previous = this.powers[voter];
    if (votes === previous) return;
    this.weighBallot(voter, -1);
    this.powerLengths[voter] = writeLimbs(votes, this.powerDigits, voter * LIMBS);
    this.powers[voter] = votes;
    this.weighBallot(voter, 1);
    if (previous === 0n) this.powered++;
    else if (votes === 0n) this.powered--;
  }

  private weighBallot(voter: number, sign: 1 | -1): void {
    const ballots = this.ballots;
    for (let at = ballots.first(voter); at < ballots.end(voter); at++) {
      const candidate = ballots.candidateAt(at);
      if (this.live[candidate] === ballots.registrationAt(at)) this.addWeight(candidate, voter, sign);
    }
  }

  /** The registration `voter` approved of `candidate`, live or dead; undefined if it holds none. */
  approval(voter: number, candidate: number): number | undefined {
    return this.ballots.get(voter, candidate);
  }

  /** How many approvals the voter holds, live or dead. */
  approvalCount(voter: number): number {
    return this.ballots.size(voter);
  }

  /** The voter's approvals as [candidate id, registration] pairs (for views; not the hot path). */
  *ballot(voter: number): Generator<[number, number]> {
    const ballots = this.ballots;
    for (let at = ballots.first(voter); at < ballots.end(voter); at++) {
      yield [ballots.candidateAt(at), ballots.registrationAt(at)];
    }
  }

  /** Records an approval the voter does not hold yet; if it is live, the candidate gains the voter's power. */
  approve(voter: number, candidate: number, registration: number): void {
    if (this.ballots.size(voter) === 0) this.voting++;
    this.ballots.add(voter, candidate, registration);
    if (this.live[candidate] === registration) this.addWeight(candidate, voter, 1);
  }

  /** Drops an approval the voter holds; if it was live, the candidate loses the voter's power. */
  withdraw(voter: number, candidate: number): void {
    const registration = this.ballots.remove(voter, candidate);
    // A voter without approvals reads as absent from `approvals`.
    if (this.ballots.size(voter) === 0) this.voting--;
    if (this.live[candidate] === registration) this.addWeight(candidate, voter, -1);
  }

  // --- candidates

  candidateId(candidate: Address): number | undefined {
    return this.candidateIds.get(candidate);
  }

  candidateAddress(id: number): Address {
    return this.candidateAddresses[id];
  }

  candidateCount(): number {
    return this.candidateAddresses.length;
  }

  private internCandidate(candidate: Address): number {
    let id = this.candidateIds.get(candidate);
    if (id !== undefined) return id;
    id = this.candidateAddresses.length;
    this.candidateIds.set(candidate, id);
    this.candidateAddresses.push(candidate);
    this.tallyValues.push(0n);
    this.live = grown(this.live, id + 1);
    this.tallies = grown(this.tallies, (id + 1) * LIMBS);
    this.additions = grown(this.additions, id + 1);
    return id;
  }

  /** The registration whose approvals count (0: none, the candidate is not Active). */
  liveRegistration(candidate: number): number {
    return this.live[candidate];
  }

  /**
   * Which registration of `candidate` is live: its registration while Active, 0 otherwise. The
   * candidate records (candidates.ts) call this whenever they replace a record, so the two agree.
   */
  setLiveRegistration(candidate: Address, registration: number): void {
    const id = this.internCandidate(candidate); // first: interning may replace this.live by a larger array
    this.live[id] = registration;
  }

  private addWeight(candidate: number, voter: number, sign: 1 | -1): void {
    const length = this.powerLengths[voter];
    if (length === 0) return;
    addLimbs(this.tallies, candidate * LIMBS, this.powerDigits, voter * LIMBS, length, sign);
    if (++this.additions[candidate] >= ADDITIONS_BEFORE_NORMALIZE) this.normalizeTally(candidate);
  }

  // The only place that clears `additions`: the value read here stays valid until the next addition.
  private normalizeTally(candidate: number): void {
    normalize(this.tallies, candidate * LIMBS);
    this.additions[candidate] = 0;
    this.tallyValues[candidate] = readLimbs(this.tallies, candidate * LIMBS);
  }

  /** The candidate's live weighted votes (an election reads all of them: cached until the next change). */
  tally(candidate: number): bigint {
    if (this.additions[candidate] !== 0) this.normalizeTally(candidate);
    return this.tallyValues[candidate];
  }

  /** Sets the candidate's tally to zero (its approvals died) and returns what it was, for an undo. */
  takeTally(candidate: Address): SavedTally | null {
    const id = this.candidateIds.get(candidate);
    if (id === undefined) return null;
    const at = id * LIMBS;
    const saved = this.tallies.slice(at, at + LIMBS);
    this.tallies.fill(0, at, at + LIMBS);
    this.normalizeTally(id);
    return saved;
  }

  restoreTally(candidate: Address, saved: SavedTally): void {
    const id = this.internCandidate(candidate);
    this.tallies.set(saved, id * LIMBS);
    this.normalizeTally(id);
  }
}
