/**
 * AddRaftVoter, RemoveRaftVoter and UpdateRaftVoter (KIP-853): each becomes a voter change the
 * port takes to the leader, answered once the new voter set commits. Kafka's rules: a request for
 * another cluster is refused with INCONSISTENT_CLUSTER_ID; a change that was written but not seen
 * committed in time answers REQUEST_TIMED_OUT (it may still happen); refusals keep their names
 * (DUPLICATE_VOTER, VOTER_NOT_FOUND, UNSUPPORTED_VERSION, ...).
 */
import type { ClientResponse } from '../../core/client-response.js';
import type { VoterChange } from '../../core/raft/voter-changes.js';
import type { AddRaftVoterRequest, AddRaftVoterResponse } from '../apis/add-raft-voter/index.js';
import type { RemoveRaftVoterRequest, RemoveRaftVoterResponse } from '../apis/remove-raft-voter/index.js';
import type { UpdateRaftVoterRequest, UpdateRaftVoterResponse } from '../apis/update-raft-voter/index.js';
import { ErrorCode, type ErrorName } from '../protocol/error-codes.js';
import type { ResolvedHandlerOptions } from './handler-options.js';
import type { MetadataPort } from './metadata-port.js';

interface VoterChangeAnswer {
  errorCode: number;
  errorMessage: string | null;
}

export async function handleAddRaftVoter(port: MetadataPort, options: ResolvedHandlerOptions, request: AddRaftVoterRequest): Promise<AddRaftVoterResponse> {
  const voter = { id: request.voterId, directoryId: request.voterDirectoryId, endpoints: request.listeners };
  const answer = await changeVoters(port, request.clusterId, { type: 'add', voter }, request.timeoutMs > 0 ? request.timeoutMs : options.defaultRequestTimeoutMs);
  return { throttleTimeMs: 0, ...answer };
}

export async function handleRemoveRaftVoter(port: MetadataPort, options: ResolvedHandlerOptions, request: RemoveRaftVoterRequest): Promise<RemoveRaftVoterResponse> {
  const change: VoterChange = { type: 'remove', id: request.voterId, directoryId: request.voterDirectoryId };
  return { throttleTimeMs: 0, ...(await changeVoters(port, request.clusterId, change, options.defaultRequestTimeoutMs)) };
}

export async function handleUpdateRaftVoter(port: MetadataPort, options: ResolvedHandlerOptions, request: UpdateRaftVoterRequest): Promise<UpdateRaftVoterResponse> {
  const voter = { id: request.voterId, directoryId: request.voterDirectoryId, endpoints: request.listeners };
  const answer = await changeVoters(port, request.clusterId, { type: 'update', voter }, options.defaultRequestTimeoutMs);
  return { throttleTimeMs: 0, errorCode: answer.errorCode, currentLeader: { leaderId: -1, leaderEpoch: -1, host: '', port: 0 } };
}

async function changeVoters(port: MetadataPort, clusterId: string | null, change: VoterChange, timeoutMs: number): Promise<VoterChangeAnswer> {
  if (clusterId !== null && clusterId !== port.clusterId) {
    return { errorCode: ErrorCode.INCONSISTENT_CLUSTER_ID, errorMessage: `this is cluster ${port.clusterId}, not ${clusterId}` };
  }
  if (port.changeVoters === undefined) return { errorCode: ErrorCode.UNSUPPORTED_VERSION, errorMessage: 'this node does not change voters' };
  return voterChangeAnswer(await port.changeVoters(change, timeoutMs));
}

function voterChangeAnswer(response: ClientResponse<'changeVoters'>): VoterChangeAnswer {
  if (response.outcome === 'ok') return { errorCode: ErrorCode.NONE, errorMessage: null };
  if (response.outcome === 'unknown') return { errorCode: ErrorCode.REQUEST_TIMED_OUT, errorMessage: response.error.message };
  const code = Object.hasOwn(ErrorCode, response.error.code) ? ErrorCode[response.error.code as ErrorName] : ErrorCode.UNKNOWN_SERVER_ERROR;
  return { errorCode: code, errorMessage: response.error.message };
}
