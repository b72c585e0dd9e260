/**
 * The options of the Kafka request handlers, and their defaults. The host (quorumd) builds these
 * from server.properties; every field is optional so tests can pass `{}`.
 */
import type { MetadataSettings } from '../../core/metadata/index.js';
import { silentLogger, type KafkaLogger } from '../server/logger.js';
import { REAL_CLOCK, type HandlerClock } from './handler-clock.js';

export interface KafkaHandlerOptions {
  /**
   * The listener name clients reach this server through (e.g. "PLAINTEXT"). Metadata and
   * DescribeCluster give each broker's advertised endpoint of this name, as Kafka does; a broker
   * without one is left out. Absent: each broker's first registered endpoint.
   */
  listenerName?: string;
  /**
   * How long a request waits for the quorum when it carries no timeout of its own (Metadata,
   * DescribeConfigs, AlterConfigs, DescribeQuorum, DescribeCluster), or asks for 0 or less.
   */
  defaultRequestTimeoutMs?: number;
  /**
   * How Metadata and DescribeConfigs read. `linearizable`: take a read index from the leader
   * first (a quorum round), so the answer reflects every acknowledged write. `cached`: answer
   * from this node's applied image, as Kafka brokers do, taking a read index only for named
   * topics this node has not applied yet. Absent: `cached` for Metadata, the node's
   * `metadata.read.consistency` for DescribeConfigs.
   */
  readConsistency?: 'linearizable' | 'cached';
  /** The node's metadata settings, so validateOnly requests are judged as the controller would. */
  metadataSettings?: Partial<MetadataSettings>;
  logger?: KafkaLogger;
  /**
   * Time for deadlines and retry pauses. Absent: the real clock. The simulator passes its own, so
   * its clients run through these same handlers on simulated time.
   */
  clock?: HandlerClock;
}

export interface ResolvedHandlerOptions {
  listenerName: string | null;
  defaultRequestTimeoutMs: number;
  readConsistency: 'linearizable' | 'cached' | undefined;
  metadataSettings: Partial<MetadataSettings>;
  logger: KafkaLogger;
  clock: HandlerClock;
}

/** Kafka's default `request.timeout.ms` for admin requests that carry none. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** A timeout longer than this is a mistake in the options (the core's deadline arithmetic). */
const REQUEST_TIMEOUT_MS_MAX = 3_600_000;

export function resolveHandlerOptions(options: KafkaHandlerOptions = {}): ResolvedHandlerOptions {
  const defaultRequestTimeoutMs = options.defaultRequestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  if (!Number.isInteger(defaultRequestTimeoutMs) || defaultRequestTimeoutMs < 1 || defaultRequestTimeoutMs > REQUEST_TIMEOUT_MS_MAX) {
    throw new RangeError(`defaultRequestTimeoutMs must be an integer in [1, ${REQUEST_TIMEOUT_MS_MAX}], got ${defaultRequestTimeoutMs}`);
  }
  const readConsistency = options.readConsistency;
  if (readConsistency !== undefined && readConsistency !== 'linearizable' && readConsistency !== 'cached') {
    throw new RangeError(`readConsistency must be linearizable or cached, got ${String(readConsistency)}`);
  }
  return {
    listenerName: options.listenerName ?? null,
    defaultRequestTimeoutMs,
    readConsistency,
    metadataSettings: options.metadataSettings ?? {},
    logger: options.logger ?? silentLogger,
    clock: options.clock ?? REAL_CLOCK,
  };
}

/** The request's own timeout when it gives a positive one, else the default. */
export function requestTimeoutMs(requested: number | undefined, options: ResolvedHandlerOptions): number {
  if (requested === undefined || !Number.isFinite(requested) || requested <= 0) return options.defaultRequestTimeoutMs;
  return Math.min(requested, REQUEST_TIMEOUT_MS_MAX);
}
