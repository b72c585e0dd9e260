/**
 * The Kafka request handlers: turn decoded Kafka requests into metadata operations on the node
 * (through a MetadataPort) and the node's answers into Kafka responses, one file per API. The
 * host mounts them on its KafkaServer:
 *
 *   const handler = createKafkaRequestHandler(port, {
 *     listenerName: 'PLAINTEXT',          // advertised endpoints clients are given
 *     defaultRequestTimeoutMs: 30_000,    // for requests without a timeout field
 *     readConsistency: 'cached',          // or 'linearizable' (Metadata takes a read index)
 *     metadataSettings,                   // num.partitions etc., for validateOnly
 *     logger,
 *   });
 *   await KafkaServer.listen({ host, port, handler, logger });
 *
 * Brokers are looked up in the metadata image (their registrations carry the advertised
 * listeners), so the options need no broker table.
 */
import type { KafkaRequestHandler } from '../server/request-handler.js';
import { handleAlterConfigs } from './alter-configs-handler.js';
import { handleCreatePartitions } from './create-partitions-handler.js';
import { handleCreateTopics } from './create-topics-handler.js';
import { handleDeleteTopics } from './delete-topics-handler.js';
import { handleDescribeCluster } from './describe-cluster-handler.js';
import { handleDescribeConfigs } from './describe-configs-handler.js';
import { handleDescribeQuorum } from './describe-quorum-handler.js';
import { resolveHandlerOptions, type KafkaHandlerOptions } from './handler-options.js';
import { handleMetadata } from './metadata-handler.js';
import { handleAddRaftVoter, handleRemoveRaftVoter, handleUpdateRaftVoter } from './raft-voter-handlers.js';
import type { MetadataPort } from './metadata-port.js';

export type { KafkaHandlerOptions, ResolvedHandlerOptions } from './handler-options.js';
export { resolveHandlerOptions } from './handler-options.js';
export { REAL_CLOCK, type HandlerClock } from './handler-clock.js';
export type { BrokerListener, MetadataPort, SubmitOptions } from './metadata-port.js';
export { METADATA_TOPIC_NAME } from './describe-quorum-handler.js';

export function createKafkaRequestHandler(port: MetadataPort, options: KafkaHandlerOptions = {}): KafkaRequestHandler {
  const resolved = resolveHandlerOptions(options);
  return {
    metadata: (_context, request) => handleMetadata(port, resolved, request),
    createTopics: (_context, request) => handleCreateTopics(port, resolved, request),
    deleteTopics: (_context, request) => handleDeleteTopics(port, resolved, request),
    createPartitions: (_context, request) => handleCreatePartitions(port, resolved, request),
    describeConfigs: (_context, request) => handleDescribeConfigs(port, resolved, request),
    alterConfigs: (_context, request) => handleAlterConfigs(port, resolved, request),
    describeQuorum: (_context, request) => handleDescribeQuorum(port, resolved, request),
    describeCluster: (_context, request) => handleDescribeCluster(port, resolved, request),
    addRaftVoter: (_context, request) => handleAddRaftVoter(port, resolved, request),
    removeRaftVoter: (_context, request) => handleRemoveRaftVoter(port, resolved, request),
    updateRaftVoter: (_context, request) => handleUpdateRaftVoter(port, resolved, request),
  };
}
