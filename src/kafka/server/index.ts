/**
 * The Kafka front as the node mounts it: a server, the handler interface it calls, and the
 * logger it writes to. Everything below this (connections, frames, routes) is internal.
 */
export {
  HANDLER_TIMEOUT_MS_DEFAULT,
  KafkaServer,
  MAX_CONNECTIONS_DEFAULT,
  MAX_IN_FLIGHT_REQUESTS_DEFAULT,
  type KafkaServerOptions,
} from './kafka-server.js';
export { REQUEST_MAX_BYTES_DEFAULT } from './frame-reader.js';
export { formatLogEntry, kafkaLoggerTo, silentLogger, type KafkaLogger, type KafkaLogLevel } from './logger.js';
export type { KafkaRequestHandler, RequestContext } from './request-handler.js';
