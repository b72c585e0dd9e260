/**
 * DescribeCluster (key 60): the cluster id, a controller id clients can use (never -1, as with
 * Metadata) and the unfenced brokers with their advertised endpoints, from this node's applied
 * image, as a Kafka broker answers it from its metadata cache.
 */
import {
  AUTHORIZED_OPERATIONS_OMITTED, type DescribeClusterRequest, type DescribeClusterResponse,
} from '../apis/describe-cluster/index.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { advertisedBrokers } from './broker-listeners.js';
import type { ResolvedHandlerOptions } from './handler-options.js';
import type { MetadataPort } from './metadata-port.js';

export async function handleDescribeCluster(
  port: MetadataPort, options: ResolvedHandlerOptions, _request: DescribeClusterRequest,
): Promise<DescribeClusterResponse> {
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    clusterId: port.clusterId,
    controllerId: port.controllerIdForClients(),
    brokers: advertisedBrokers(port.localImage(), options.listenerName).map((b) => ({
      brokerId: b.nodeId, host: b.host, port: b.port, rack: b.rack,
    })),
    // quorumd has no authorizer: the operations are never computed.
    clusterAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}
