/**
 * The Kafka versions quorumcheck knows, per mode. KRaft mode: the 4.x releases Maven Central
 * serves (4.x brokers and controllers need Java 17, which our images have), newest first, and
 * 3.9 (KRaft there too). ZooKeeper mode: 3.9, its last line. `--version` takes a release or a
 * line (`4.4`, `3.9`), which means that line's newest release here.
 */
import { UnknownVersionError } from '../reference/unknown-version.js';

export type KafkaMode = 'kraft' | 'zookeeper';

export const KAFKA_KRAFT_VERSIONS: readonly string[] = [
  '4.4.0', '4.3.1', '4.3.0', '4.2.2', '4.2.1', '4.2.0', '4.1.2', '4.1.1', '4.1.0', '4.0.2', '4.0.1', '4.0.0', '3.9.2', '3.9.1',
];
export const KAFKA_ZOOKEEPER_VERSIONS: readonly string[] = ['3.9.2', '3.9.1'];
/** The ZooKeeper server beside Kafka 3.9's brokers: the version Kafka 3.9's own client is. */
export const zookeeperDefaultVersion = '3.8.4';
export const ZOOKEEPER_VERSIONS: readonly string[] = ['3.8.4', '3.8.3', '3.9.5', '3.9.4', '3.9.3', '3.9.2'];

export function knownKafkaVersions(mode: KafkaMode): readonly string[] {
  return mode === 'kraft' ? KAFKA_KRAFT_VERSIONS : KAFKA_ZOOKEEPER_VERSIONS;
}

/** The release to run: the default (newest), an exact known release, or a line's newest. */
export function resolveKafkaVersion(mode: KafkaMode, asked: string | undefined): string {
  const known = knownKafkaVersions(mode);
  const system = mode === 'kraft' ? 'kafka-kraft' : 'kafka-zk';
  if (asked === undefined) return known[0]!;
  if (known.includes(asked)) return asked;
  const ofLine = known.find((version) => /^\d+\.\d+$/.test(asked) && version.startsWith(`${asked}.`));
  if (ofLine !== undefined) return ofLine;
  const hint = mode === 'zookeeper' && asked.startsWith('4.') ? ' (Kafka 4 has no ZooKeeper mode; use --system kafka-kraft)' : '';
  throw new UnknownVersionError(system, asked, `${known.join(', ')}${hint}`);
}

export function resolveZookeeperVersion(asked: string | undefined): string {
  if (asked === undefined) return zookeeperDefaultVersion;
  if (ZOOKEEPER_VERSIONS.includes(asked)) return asked;
  throw new UnknownVersionError('zookeeper', asked, ZOOKEEPER_VERSIONS.join(', '));
}

/** Kafka 4 logs through log4j 2 (its binding named by the pom's profile); 3.9 through reload4j. */
export function kafkaLogging(version: string): 'log4j2' | 'reload4j' {
  return Number(version.split('.')[0]) >= 4 ? 'log4j2' : 'reload4j';
}
