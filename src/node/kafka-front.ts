/**
 * Mounting the Kafka front: a KafkaServer whose handler is built by the Kafka handlers
 * (`createKafkaRequestHandler`) over this node's MetadataPort, with options taken from
 * server.properties. A broker listens on its own listener; a controller also serves the
 * connections its controller listener recognises as Kafka clients (the admin tools'
 * `--bootstrap-controller`). The whole wiring is this one file.
 */
import { createKafkaRequestHandler } from '../kafka/handlers/index.js';
import type { KafkaHandlerOptions } from '../kafka/handlers/handler-options.js';
import type { MetadataPort } from '../kafka/handlers/metadata-port.js';
import { kafkaLoggerTo, type KafkaLogger } from '../kafka/server/logger.js';
import { KafkaServer } from '../kafka/server/kafka-server.js';
import type { ServerConfig } from './config/server-config.js';
import type { ListenerAddress } from './config/listener-addresses.js';
import type { NodeLogger } from './node-logger.js';

export async function mountKafkaFront(port: MetadataPort, config: ServerConfig, listener: ListenerAddress, logger: NodeLogger): Promise<KafkaServer> {
  const kafkaLogger = socketLogger(logger);
  const server = await KafkaServer.listen({
    host: listener.host === '' ? '0.0.0.0' : listener.host,
    port: listener.port,
    handler: createKafkaRequestHandler(port, handlerOptions(config, listener, kafkaLogger)),
    logger: kafkaLogger,
    requestMaxBytes: config.socketRequestMaxBytes,
  });
  logger.info(`Kafka listener ${listener.name} is serving on port ${server.port}`);
  return server;
}

/** The Kafka front of the controller listener: it serves connections handed to `adopt`. */
export function adoptingKafkaFront(port: MetadataPort, config: ServerConfig, listener: ListenerAddress, logger: NodeLogger): KafkaServer {
  const kafkaLogger = socketLogger(logger);
  return KafkaServer.adopting({
    host: listener.host === '' ? '0.0.0.0' : listener.host,
    handler: createKafkaRequestHandler(port, handlerOptions(config, listener, kafkaLogger)),
    logger: kafkaLogger,
    requestMaxBytes: config.socketRequestMaxBytes,
  });
}

function socketLogger(logger: NodeLogger): KafkaLogger {
  const component = logger.component('SocketServer');
  return kafkaLoggerTo((level, line) => component[level](line));
}

function handlerOptions(config: ServerConfig, listener: ListenerAddress, kafkaLogger: KafkaLogger): KafkaHandlerOptions {
  const options: KafkaHandlerOptions = {
    listenerName: listener.name,
    // `metadata.read.consistency` governs every read the front answers, Metadata included, and
    // defaults to linearizable: a partition test must not be answered from a stale image.
    readConsistency: config.quorum.readConsistency ?? 'linearizable',
    metadataSettings: config.quorum.metadataSettings ?? {},
    logger: kafkaLogger,
  };
  if (config.quorum.clientRequestTimeoutMs !== undefined) options.defaultRequestTimeoutMs = config.quorum.clientRequestTimeoutMs;
  return options;
}
