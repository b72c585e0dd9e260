/**
 * What the simulator drives: the host contract of core/host-interface.ts plus the test-only
 * introspection it needs for the liveness phase and for transcripts, and what the Kafka request
 * handlers read on a broker (its committed image, DescribeQuorum, graceful shutdown).
 * `QuorumNode` satisfies it; keeping the simulator on this small surface means it never reaches
 * into core internals.
 */
import type { ClientRequest, DurableState, PeerEnvelope, RandomSource, Ready } from '../core/host-interface.js';
import type { MetadataImage } from '../core/metadata/index.js';
import type { VoterChange } from '../core/raft/voter-changes.js';

export interface CoreDebugState {
  state: string;
  epoch: number;
  leaderId: number | null;
  logEndOffset: number;
  highWatermark: number;
}

export interface ConsensusCore {
  tick(nowMs: number): void;
  receive(envelope: PeerEnvelope, nowMs: number): void;
  submit(request: ClientRequest, nowMs: number): void;
  /** Answers `requestId` with the leader's QuorumDescription (asking the leader when not it). */
  describeQuorum(requestId: number, nowMs: number, timeoutMs?: number): void;
  /** Changes the voter set (KIP-853), answering `requestId` (asking the leader when not it). */
  changeVoters(requestId: number, change: VoterChange, nowMs: number, timeoutMs?: number): void;
  /** Graceful shutdown: a leader resigns first. */
  shutdown(nowMs: number): void;
  hasReady(): boolean;
  ready(): Ready;
  advance(): void;
  nextWakeMs(): number;
  debugState(): CoreDebugState;
  /** debugState().leaderId, read alone (every Metadata answer asks it). */
  readonly leaderId: number | null;
  /** The committed image this node has applied, as a broker answers cached reads from it. */
  readonly committedImage: MetadataImage;
}

export interface CoreStart {
  nodeId: number;
  voters: readonly number[];
  recovered: DurableState | null;
  random: RandomSource;
  nowMs: number;
  /**
   * With dynamic membership (kraft.version 1): the directory the node runs on, and whether it was
   * formatted to join later (a spare controller, or any node on a replaced disk). Absent: a static quorum.
   */
  disk?: { directoryId: string; joiner: boolean };
}

/** Builds a node's core at start and at every restart (from what its disk recovered). */
export type CoreFactory = (start: CoreStart) => ConsensusCore;
