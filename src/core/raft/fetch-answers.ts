/**
 * Fetching, the answering side: what a leader tells a fetcher about its position, and the shape
 * of every Fetch answer (also the refusals other roles send).
 *
 * KRaft replicates by pull. A fetch names the fetcher's log end and the epoch of its last entry;
 * the leader checks that this position extends its own log (KIP-595's LastFetchedEpoch). When it
 * does not, the answer carries a DivergingEpoch and the fetcher truncates to where the logs agree;
 * when the position lies below the leader's log start, the answer points at the snapshot to fetch
 * first (KIP-630).
 */
import type { SnapshotData } from '../host-interface.js';
import { assert } from '../assert.js';
import type { FetchRequest, FetchResponse, RaftErrorName } from './messages.js';
import type { RaftLog } from './raft-log.js';
import type { VoterEndpoint } from './voter-set.js';

export type FetchPositionAnswer = Pick<FetchResponse, 'divergingEpoch' | 'snapshotId'>;

/**
 * Undefined when the fetcher's position extends the leader's log; otherwise where it diverges, or
 * the snapshot it must fetch first.
 */
export function checkFetchPosition(
  request: FetchRequest,
  log: RaftLog<unknown>,
  snapshot: Pick<SnapshotData<unknown>, 'endOffset' | 'lastEpoch'> | null,
  epoch: number,
): FetchPositionAnswer | undefined {
  if (request.fetchOffset > log.endOffset && request.lastFetchedEpoch === epoch) {
    assert(false, `replica ${request.replicaId} fetches at ${request.fetchOffset} beyond leader log end ${log.endOffset} in the leader's epoch`);
  }
  if (request.fetchOffset < log.startOffset) return snapshotPointer(log, snapshot);
  // An empty log extends every log.
  if (request.fetchOffset === 0) return undefined;
  const known = log.endOffsetForEpoch(request.lastFetchedEpoch);
  if (known === undefined) return snapshotPointer(log, snapshot);
  if (known.epoch !== request.lastFetchedEpoch || known.endOffset < request.fetchOffset) return { divergingEpoch: known };
  return undefined;
}

function snapshotPointer(log: RaftLog<unknown>, snapshot: Pick<SnapshotData<unknown>, 'endOffset' | 'lastEpoch'> | null): FetchPositionAnswer {
  assert(snapshot !== null, `fetch below log start ${log.startOffset} without a snapshot`);
  return { snapshotId: { endOffset: snapshot.endOffset, epoch: snapshot.lastEpoch } };
}

/** What every Fetch answer tells about the responder, whatever else it carries. */
export interface FetchAnswerHeader {
  epoch: number;
  leaderId: number | null;
  highWatermark: number;
  logStartOffset: number;
  /** The leader's newest read round (0 from other roles). */
  readRound: number;
  /** Where the leader is reached, when the responder knows (kraft.version 1 voter sets list it). */
  leaderEndpoints?: readonly VoterEndpoint[];
}

/** A Fetch answer without entries: a refusal (`error`), or the start of a leader's answer. */
export function emptyFetchResponse(request: FetchRequest, header: FetchAnswerHeader, error?: RaftErrorName): FetchResponse {
  const response: FetchResponse = {
    type: 'fetch-response', epoch: header.epoch, leaderId: header.leaderId, fetchId: request.fetchId,
    incarnationId: request.incarnationId, highWatermark: header.highWatermark, logStartOffset: header.logStartOffset, entries: [],
    readRound: header.readRound,
  };
  if (error !== undefined) response.error = error;
  if (header.leaderEndpoints !== undefined && header.leaderEndpoints.length > 0) response.leaderEndpoints = [...header.leaderEndpoints];
  return response;
}
