/**
 * Kafka images: `quorumcheck-kafka:<version>-<hash>` (the server on the Java layer) and, for
 * ZooKeeper mode, `quorumcheck-kafka-zookeeper:<version>-zk<zk version>-<hash>` (that plus a
 * ZooKeeper server's class path). Locally the class paths come from Maven Central (cached by
 * version, see maven-class-path.ts); with official images from apache/kafka and zookeeper.
 */
import path from 'node:path';
import type { ProgressLog } from '../../docker/docker-cli.js';
import { dockerRecipeDir } from '../../docker/project-paths.js';
import { imageSource, type ImageSource } from '../reference/image-source.js';
import { ensureJvmImage } from '../reference/jvm-image.js';
import { ensureClassPath } from '../reference/maven-class-path.js';
import { ensureSystemImage, type SystemImageRecipe } from '../reference/system-image.js';
import { kafkaLogging, resolveKafkaVersion, resolveZookeeperVersion, type KafkaMode } from './kafka-version.js';

export const kafkaImageRepository = 'quorumcheck-kafka';
export const kafkaZookeeperImageRepository = 'quorumcheck-kafka-zookeeper';

export interface KafkaImageOptions {
  mode: KafkaMode;
  version?: string;
  /** ZooKeeper mode only; default the version Kafka 3.9's client is (3.8.4). */
  zookeeperVersion?: string;
  source?: ImageSource;
  log?: ProgressLog;
}

export interface KafkaImage {
  image: string;
  kafkaVersion: string;
  zookeeperVersion?: string;
}

export async function ensureKafkaImage(options: KafkaImageOptions): Promise<KafkaImage> {
  const source = options.source ?? imageSource();
  const log = options.log ?? (() => {});
  const kafkaVersion = resolveKafkaVersion(options.mode, options.version);
  const zookeeperVersion = options.mode === 'zookeeper' ? resolveZookeeperVersion(options.zookeeperVersion) : undefined;
  const entry = { 'quorumcheck-node-entry': path.join(dockerRecipeDir, 'bin', 'quorumcheck-node-entry') };
  const jvmImage = await ensureJvmImage(source, log);
  const kafkaImage = source === 'local'
    ? await ensureSystemImage({
      repository: kafkaImageRepository,
      tagPrefix: kafkaVersion,
      dockerfile: 'kafka/kafka.Dockerfile',
      buildArgs: { JVM_IMAGE: jvmImage },
      directories: { lib: await ensureClassPath(kafkaClassPath(kafkaVersion, log)) },
      files: entry,
      log,
    })
    : await ensureSystemImage({ ...officialKafkaRecipe(kafkaVersion, jvmImage), log });
  if (zookeeperVersion === undefined) return { image: kafkaImage, kafkaVersion };
  const image = source === 'local'
    ? await ensureSystemImage({
      repository: kafkaZookeeperImageRepository,
      tagPrefix: `${kafkaVersion}-zk${zookeeperVersion}`,
      dockerfile: 'zookeeper/kafka-zookeeper.Dockerfile',
      buildArgs: { KAFKA_IMAGE: kafkaImage },
      directories: { lib: await ensureClassPath(zookeeperClassPath(zookeeperVersion, log)) },
      log,
    })
    : await ensureSystemImage({ ...officialKafkaZookeeperRecipe(kafkaVersion, zookeeperVersion, kafkaImage), log });
  return { image, kafkaVersion, zookeeperVersion };
}

/**
 * Kafka's class path from the project's image, apache/kafka:VERSION, which unpacks the release
 * into /opt/kafka (Kafka's docker/jvm/Dockerfile). Needs a registry: not verified on our machines.
 */
export function officialKafkaRecipe(kafkaVersion: string, jvmImage: string): SystemImageRecipe {
  return {
    repository: kafkaImageRepository,
    tagPrefix: `${kafkaVersion}-official`,
    dockerfile: 'kafka/kafka-official.Dockerfile',
    buildArgs: { JVM_IMAGE: jvmImage, KAFKA_IMAGE: `apache/kafka:${kafkaVersion}` },
    files: { 'quorumcheck-node-entry': path.join(dockerRecipeDir, 'bin', 'quorumcheck-node-entry') },
  };
}

/**
 * ZooKeeper's class path from the Docker official image zookeeper:VERSION, which unpacks the
 * release into /apache-zookeeper-VERSION-bin. Needs a registry: not verified on our machines.
 */
export function officialKafkaZookeeperRecipe(kafkaVersion: string, zookeeperVersion: string, kafkaImage: string): SystemImageRecipe {
  return {
    repository: kafkaZookeeperImageRepository,
    tagPrefix: `${kafkaVersion}-zk${zookeeperVersion}-official`,
    dockerfile: 'zookeeper/kafka-zookeeper-official.Dockerfile',
    buildArgs: {
      KAFKA_IMAGE: kafkaImage,
      ZOOKEEPER_IMAGE: `zookeeper:${zookeeperVersion}`,
      ZOOKEEPER_HOME: `/apache-zookeeper-${zookeeperVersion}-bin`,
    },
  };
}

function kafkaClassPath(version: string, log: ProgressLog) {
  return {
    name: 'kafka',
    version,
    pom: 'kafka/pom.xml',
    properties: { 'kafka.version': version, 'kafka.logging': kafkaLogging(version) },
    log,
  };
}

function zookeeperClassPath(version: string, log: ProgressLog) {
  return { name: 'zookeeper', version, pom: 'zookeeper/pom.xml', properties: { 'zookeeper.version': version }, log };
}
