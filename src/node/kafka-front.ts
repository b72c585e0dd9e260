/**
 * Mounting the Kafka front on the broker listener: a KafkaServer whose handler is built by the
 * Kafka handlers (`createKafkaRequestHandler(port, options)` in src/kafka/handlers/index.ts) over
 * this node's MetadataPort. The whole wiring is this one file, so it is the only place to adjust
 * when the handlers' signature settles.
 *
 * The handlers module is loaded by a computed specifier so this file compiles before it exists;
 * until it does, the broker listener stays closed and a warning says so.
 */
import { jsonLinesLogger } from '../kafka/server/logger.js';
import { KafkaServer } from '../kafka/server/kafka-server.js';
import type { KafkaRequestHandler } from '../kafka/server/request-handler.js';
import type { MetadataPort } from '../kafka/handlers/metadata-port.js';
import type { ListenerAddress } from './config/listener-addresses.js';
import type { NodeLogger } from './node-logger.js';

export interface KafkaFrontOptions {
  listener: ListenerAddress;
  requestMaxBytes: number;
  logger: NodeLogger;
}

type CreateHandler = (port: MetadataPort, options: Record<string, unknown>) => KafkaRequestHandler;

const HANDLERS_MODULE = '../kafka/handlers/index.js';

export async function mountKafkaFront(port: MetadataPort, options: KafkaFrontOptions): Promise<KafkaServer | null> {
  const createHandler = await loadHandlerFactory(options.logger);
  if (createHandler === null) return null;
  const server = await KafkaServer.listen({
    host: options.listener.host === '' ? '0.0.0.0' : options.listener.host,
    port: options.listener.port,
    handler: createHandler(port, {}),
    logger: jsonLinesLogger(),
    requestMaxBytes: options.requestMaxBytes,
  });
  options.logger.info(`Kafka listener ${options.listener.name} is serving on port ${server.port}`);
  return server;
}

async function loadHandlerFactory(logger: NodeLogger): Promise<CreateHandler | null> {
  const specifier: string = HANDLERS_MODULE;
  try {
    const module = await import(specifier) as { createKafkaRequestHandler?: CreateHandler };
    if (typeof module.createKafkaRequestHandler === 'function') return module.createKafkaRequestHandler;
    logger.warn(`${HANDLERS_MODULE} has no createKafkaRequestHandler: the broker listener stays closed`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ERR_MODULE_NOT_FOUND') throw error;
    logger.warn('The Kafka request handlers are not built yet: the broker listener stays closed');
  }
  return null;
}
