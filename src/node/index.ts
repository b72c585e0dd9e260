/**
 * quorumd, the real host of the quorum core: its public face for the CLI and for tests.
 *
 *   config/      server.properties (Kafka's keys) → ServerConfig
 *   storage/     meta.properties, the segmented metadata log, snapshots, the quorum-state file
 *   transport/   TCP between nodes (hello with cluster id, framed JSON envelopes, redial)
 *   quorum-host  the host loop (tick / receive / submit → persist → send → advance), MetadataPort
 *   quorum-server  all of it assembled, plus the event log and the Kafka front
 */
export { parseServerConfig, type ServerConfig } from './config/server-config.js';
export { loadServerConfig } from './config/load-server-config.js';
export { ServerConfigError } from './config/server-config-error.js';
export { formatStorage, FormatError, type FormatResult } from './format-storage.js';
export { randomKafkaUuid } from './random-uuid.js';
export { MetadataStore, METADATA_PARTITION_DIR } from './storage/metadata-store.js';
export { NotFormattedError, readMetaProperties } from './storage/meta-properties.js';
export { PeerTransport, type PeerTransportOptions } from './transport/peer-transport.js';
export { QuorumHost } from './quorum-host.js';
export { startQuorumServer, type QuorumServerOptions, type RunningQuorumServer } from './quorum-server.js';
export { consoleNodeLogger, lineNodeLogger, memoryNodeLogger, parseLogLevel, type LogLevel, type NodeLogger } from './node-logger.js';
