/**
 * Binds each served API to the handler method that answers it. Each route is typed when it is
 * built (the codec's request type meets the method's parameter type), and only the finished
 * list is erased to `unknown`, so a mismatched pairing is a compile error, not a runtime one.
 */
import type { ApiDefinition } from '../apis/api-codec.js';
import {
  alterConfigsApi,
  apiVersionsApi,
  apiVersionsTable,
  createPartitionsApi,
  createTopicsApi,
  deleteTopicsApi,
  describeClusterApi,
  describeConfigsApi,
  describeQuorumApi,
  metadataApi,
  addRaftVoterApi,
  removeRaftVoterApi,
  updateRaftVoterApi,
} from '../apis/index.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { KafkaRequestHandler, RequestContext } from './request-handler.js';

export interface Route<Request, Response> {
  readonly api: ApiDefinition<Request, Response>;
  handle(handler: KafkaRequestHandler, context: RequestContext, request: Request): Promise<Response>;
}

function route<Request, Response>(
  api: ApiDefinition<Request, Response>,
  handle: (handler: KafkaRequestHandler, context: RequestContext, request: Request) => Promise<Response>,
): Route<Request, Response> {
  return { api, handle };
}

const routeList: readonly Route<unknown, unknown>[] = [
  route(apiVersionsApi, async () => ({ errorCode: ErrorCode.NONE, apiKeys: apiVersionsTable(), throttleTimeMs: 0 })),
  route(metadataApi, (handler, context, request) => handler.metadata(context, request)),
  route(createTopicsApi, (handler, context, request) => handler.createTopics(context, request)),
  route(deleteTopicsApi, (handler, context, request) => handler.deleteTopics(context, request)),
  route(createPartitionsApi, (handler, context, request) => handler.createPartitions(context, request)),
  route(describeConfigsApi, (handler, context, request) => handler.describeConfigs(context, request)),
  route(alterConfigsApi, (handler, context, request) => handler.alterConfigs(context, request)),
  route(describeQuorumApi, (handler, context, request) => handler.describeQuorum(context, request)),
  route(describeClusterApi, (handler, context, request) => handler.describeCluster(context, request)),
  route(addRaftVoterApi, async (handler, context, request) => handler.addRaftVoter === undefined
    ? addRaftVoterApi.errorResponse(request, ErrorCode.UNSUPPORTED_VERSION, 'this node does not change voters')
    : handler.addRaftVoter(context, request)),
  route(removeRaftVoterApi, async (handler, context, request) => handler.removeRaftVoter === undefined
    ? removeRaftVoterApi.errorResponse(request, ErrorCode.UNSUPPORTED_VERSION, 'this node does not change voters')
    : handler.removeRaftVoter(context, request)),
  route(updateRaftVoterApi, async (handler, context, request) => handler.updateRaftVoter === undefined
    ? updateRaftVoterApi.errorResponse(request, ErrorCode.UNSUPPORTED_VERSION, null)
    : handler.updateRaftVoter(context, request)),
];

const routesByKey = new Map(routeList.map((r) => [r.api.apiKey, r]));

export function routeFor(apiKey: number): Route<unknown, unknown> | undefined {
  return routesByKey.get(apiKey);
}
