/**
 * A whole quorumd node, assembled: meta.properties checked, storage recovered, the core built
 * from it, the host loop, TCP to the other nodes, the event log, and (for brokers) the Kafka
 * front. `startQuorumServer` returns a running server; `stop()` shuts it down gracefully (a leader
 * resigns first, so the others elect without waiting out a timeout).
 */
import type { DurableState } from '../core/host-interface.js';
import type { MetadataBatch } from '../core/metadata-log.js';
import { QuorumNode } from '../core/quorum-node.js';
import type { KafkaServer } from '../kafka/server/kafka-server.js';
import type { QuorumNodeConfigInput } from '../core/quorum-node-config.js';
import { RAFT_DEFAULTS } from '../core/raft/raft-config.js';
import type { PeerEndpoints } from '../core/raft/raft-node.js';
import { KRAFT_VERSION_DYNAMIC, type VoterEndpoint } from '../core/raft/voter-set.js';
import type { ServerAddress } from './config/listener-addresses.js';
import { bootstrapServerId, type ServerConfig } from './config/server-config.js';
import { CryptoRandom } from './crypto-random.js';
import { EventLogFile } from './event-log-file.js';
import { adoptingKafkaFront, mountKafkaFront } from './kafka-front.js';
import { MonotonicClock } from './monotonic-clock.js';
import { logClockAnchor, type NodeLogger } from './node-logger.js';
import { QuorumHost } from './quorum-host.js';
import { readMetaProperties, type MetaProperties } from './storage/meta-properties.js';
import { bootstrapVotersOf, readQuorumBootstrap } from './storage/quorum-bootstrap.js';
import { describeSnapshotWrite, MetadataStore } from './storage/metadata-store.js';
import { fileFormatSnapshotCodec } from './storage/snapshot-codec.js';
import { PeerTransport } from './transport/peer-transport.js';

export interface QuorumServerOptions {
  config: ServerConfig;
  logger: NodeLogger;
  /** Called when the node hits an error it cannot go on from (the CLI exits non-zero). */
  onFatal(error: Error): void;
  /** Skip the Kafka front (tests that drive the MetadataPort directly). */
  withoutKafka?: boolean;
}

export interface RunningQuorumServer {
  readonly host: QuorumHost;
  readonly transport: PeerTransport;
  readonly kafka: KafkaServer | null;
  readonly clusterId: string;
  /** Graceful: resign, let the resignation leave, close listeners, flush and close files. */
  stop(): Promise<void>;
}

/** How long a stopping leader waits for its EndQuorumEpoch to leave before closing sockets. */
const RESIGN_GRACE_MS = 100;

export async function startQuorumServer(options: QuorumServerOptions): Promise<RunningQuorumServer> {
  const { config, logger } = options;
  const meta = readMetaProperties(config.metadataLogDir);
  if (meta.nodeId !== config.nodeId) {
    throw new Error(`${config.metadataLogDir}/meta.properties was formatted for node.id ${meta.nodeId}, but the config says node.id ${config.nodeId}`);
  }
  const membership = quorumMembership(config, meta);
  const clock = new MonotonicClock();
  logClockAnchor(logger, clock.nowNs());
  const random = new CryptoRandom();
  // The controller listener is bound first, so a listener configured on port 0 is known by the
  // port the OS chose when this controller names its own endpoints. Peers that talk before the
  // node is assembled are dropped, as a lossy network would.
  let host: QuorumHost | null = null;
  let kafkaOnController: KafkaServer | null = null;
  const transport = await PeerTransport.start({
    nodeId: config.nodeId, clusterId: meta.clusterId, listen: controllerListen(config), voters: config.voters,
    bootstrapServers: config.bootstrapServers.map((server, index) => ({ ...server, id: bootstrapServerId(index) })),
    onKafkaConnection: config.processRoles.includes('controller') && options.withoutKafka !== true
      ? (socket) => (kafkaOnController === null ? socket.destroy() : kafkaOnController.adopt(socket))
      : undefined,
    frameMaxBytes: config.socketRequestMaxBytes,
    // Give up on a silent dial or a stalled connection after a few request timeouts, so a healed
    // partition is noticed in seconds rather than after TCP's own retransmission backoff.
    connectTimeoutMs: requestTimeoutMsOf(config),
    stallTimeoutMs: Math.max(3000, 3 * requestTimeoutMsOf(config)),
    onEnvelope: (envelope) => host?.receive(envelope),
    onPeerUnreachable: (peerId) => host?.peerUnreachable(peerId),
    log: (line) => logger.component('PeerTransport').warn(line),
    random: () => random.nextFloat(),
  });
  try {
    const recoveryStartedMs = performance.now();
    const { store, recovered } = MetadataStore.open({
      metadataLogDir: config.metadataLogDir, clusterId: meta.clusterId, segmentBytes: config.segmentBytes,
      // The log kept behind the snapshot is recovered too, so a restarted leader serves it.
      retention: { entries: config.quorum.logRetentionEntries ?? 0, records: config.quorum.logRetentionSize ?? 0 },
      log: (line) => logger.component('MetadataStore').warn(line),
      onSnapshotWritten: (report) => logger.component('MetadataStore').info(describeSnapshotWrite(report)),
      onBackgroundError: (error) => {
        logger.component('MetadataStore').error(`Stopping: writing a snapshot failed: ${error.stack ?? error.message}`);
        options.onFatal(error);
      },
    });
    const storeOpenedMs = performance.now();
    const endpoints = withBoundPort(config.quorum.endpoints ?? [], config.controllerListenerNames, transport.port);
    const core = new QuorumNode({
      config: { ...config.quorum, ...membership, endpoints, clusterId: meta.clusterId }, recovered, random, nowMs: clock.nowMs(),
      snapshotCodec: fileFormatSnapshotCodec(store.snapshotDir, () => store.newestDurableSnapshot, store.snapshotReceiver),
    });
    if (recovered !== null) logRecovery(logger, recovered, core, storeOpenedMs - recoveryStartedMs, performance.now() - storeOpenedMs);
    const eventLog = new EventLogFile(config.eventLogFile, config.nodeId);
    const dynamic = config.kraftVersion === KRAFT_VERSION_DYNAMIC;
    host = new QuorumHost({
      core, store, clock, eventLog, logger, onFatal: options.onFatal,
      onPeerEndpoints: dynamic ? (peers) => transport.updatePeers(peerAddresses(peers, config.controllerListenerNames)) : undefined,
    });
    const running = host;
    running.start(transport);
    logger.info(`Started node ${config.nodeId} of cluster ${meta.clusterId} (${config.processRoles.join(',')}), ` +
      `controller port ${transport.port ?? 'none'}, ${recovered === null ? 'fresh' : 'recovered'} state in ${config.metadataLogDir}` +
      (dynamic ? `, kraft.version 1 with directory id ${membership.directoryId ?? '?'}` : ''));
    const brokerListener = config.listeners.find((listener) => !config.controllerListenerNames.includes(listener.name));
    const kafka = config.processRoles.includes('broker') && brokerListener !== undefined && options.withoutKafka !== true
      ? await mountKafkaFront(running, config, brokerListener, logger)
      : null;
    const controllerListener = config.listeners.find((listener) => config.controllerListenerNames.includes(listener.name));
    if (controllerListener !== undefined && config.processRoles.includes('controller') && options.withoutKafka !== true) {
      kafkaOnController = adoptingKafkaFront(running, config, controllerListener, logger);
    }
    let stopping: Promise<void> | null = null;
    const stop = async (): Promise<void> => {
      if (config.processRoles.includes('broker')) await controlledShutdown(running, core.config.brokerSessionTimeoutMs, logger);
      running.shutdown();
      await new Promise((resolve) => setTimeout(resolve, RESIGN_GRACE_MS));
      // Another leader resigning at the same moment can make this node the preferred successor
      // during the grace period: resign that leadership too rather than vanish as a leader.
      if (running.debugState().state === 'leader') {
        running.shutdown();
        await new Promise((resolve) => setTimeout(resolve, RESIGN_GRACE_MS));
      }
      running.stop();
      await kafka?.close();
      await kafkaOnController?.close();
      await transport.close();
      store.close();
      eventLog.close();
      logger.info(`Node ${config.nodeId} shut down`);
    };
    return {
      host: running, transport, kafka, clusterId: meta.clusterId,
      stop: () => (stopping ??= stop()),
    };
  } catch (error) {
    await transport.close();
    throw error;
  }
}

/**
 * What the formatted disk adds to the configuration: under kraft.version 1 this directory's id and
 * the bootstrap voters. A disk formatted for one kraft.version never runs under the other: a
 * dynamic quorum is never downgraded to a static one (nor, here, a static one upgraded).
 */
function quorumMembership(config: ServerConfig, meta: MetaProperties): Pick<QuorumNodeConfigInput, 'directoryId' | 'bootstrapVoters'> {
  const bootstrap = readQuorumBootstrap(config.metadataLogDir);
  const where = `${config.metadataLogDir}`;
  if (config.kraftVersion !== KRAFT_VERSION_DYNAMIC) {
    if (bootstrap !== null) {
      throw new Error(`${where} was formatted for a dynamic quorum (kraft.version 1), which is never downgraded, but the config sets ` +
        'controller.quorum.voters (kraft.version 0): set controller.quorum.bootstrap.servers instead');
    }
    return {};
  }
  if (bootstrap === null) {
    throw new Error(`${where} was formatted for a static quorum (kraft.version 0), but the config sets controller.quorum.bootstrap.servers: ` +
      'quorumd does not upgrade a quorum to kraft.version 1; format a new one, or set controller.quorum.voters');
  }
  if (meta.directoryId === undefined) {
    throw new Error(`${where}/meta.properties has no directory.id, which a dynamic quorum (kraft.version 1) needs: format again`);
  }
  return { directoryId: meta.directoryId, bootstrapVoters: bootstrapVotersOf(bootstrap) };
}

function requestTimeoutMsOf(config: ServerConfig): number {
  return config.quorum.requestTimeoutMs ?? RAFT_DEFAULTS.requestTimeoutMs;
}

/** A controller endpoint configured on port 0 is where the listener actually bound. */
function withBoundPort(endpoints: readonly VoterEndpoint[], controllerNames: string[], boundPort: number | null): VoterEndpoint[] {
  return endpoints.map((endpoint) => (endpoint.port === 0 && boundPort !== null && endpoint.name === controllerNames[0]
    ? { ...endpoint, port: boundPort } : endpoint));
}

/** Each peer's address on a controller listener this node knows by name (else its first endpoint). */
function peerAddresses(peers: PeerEndpoints, controllerNames: string[]): Map<number, ServerAddress> {
  const addresses = new Map<number, ServerAddress>();
  for (const [nodeId, endpoints] of peers) {
    const endpoint = endpoints.find((candidate) => controllerNames.includes(candidate.name)) ?? endpoints[0];
    if (endpoint !== undefined) addresses.set(nodeId, { host: endpoint.host, port: endpoint.port });
  }
  return addresses;
}

function controllerListen(config: ServerConfig): { host: string; port: number } | null {
  if (!config.processRoles.includes('controller')) return null;
  const listener = config.listeners.find((candidate) => config.controllerListenerNames.includes(candidate.name));
  return listener === undefined ? null : { host: listener.host, port: listener.port };
}

/** How long reading the disk and rebuilding the image took, for operators and the benchmarks. */
function logRecovery(logger: NodeLogger, recovered: DurableState<MetadataBatch>, core: QuorumNode, readMs: number, rebuildMs: number): void {
  const snapshot = recovered.snapshot === null ? 'no snapshot' : `the snapshot at offset ${recovered.snapshot.endOffset}`;
  const image = core.committedImage;
  const snapshotEnd = recovered.snapshot?.endOffset ?? 0;
  const after = recovered.log.filter((entry) => entry.offset >= snapshotEnd).length;
  const behind = recovered.log.length - after;
  logger.info(`Recovered ${snapshot} and ${after} log entries after it${behind > 0 ? ` (and ${behind} kept behind it)` : ''} in ${readMs.toFixed(0)} ms, ` +
    `rebuilt ${image.topicCount} topics and ${image.partitionCount} partitions in ${rebuildMs.toFixed(0)} ms`);
}

/**
 * As a KRaft broker on SIGTERM: the controller moves this broker's partition leaders to other ISR
 * members and fences it before the process goes, so clients find new leaders at once instead of
 * after the broker's session times out. Waits at most broker.session.timeout.ms: by then the
 * controller would fence the broker anyway (and with no quorum left, nothing can be moved).
 */
async function controlledShutdown(host: QuorumHost, timeoutMs: number, logger: NodeLogger): Promise<void> {
  // A node stopping after a fatal error has no working core to ask with.
  if (host.isStopped) return;
  const startedMs = performance.now();
  const done = await host.controlledShutdown(timeoutMs);
  const tookMs = (performance.now() - startedMs).toFixed(0);
  if (done) logger.info(`Controlled shutdown completed in ${tookMs} ms: the controller moved this broker's partition leaders and fenced it`);
  else logger.warn(`Controlled shutdown did not complete within ${timeoutMs} ms (broker.session.timeout.ms): shutting down anyway`);
}
