/**
 * The Java layer shared by the Kafka and ZooKeeper images: the quorumcheck base image plus
 * Debian's openjdk-17-jre-headless (docker/kafka/jvm.Dockerfile). On the registry base (official
 * images) the same recipe applies, since node:20-bookworm-slim is Debian bookworm too.
 */
import { ensureBaseImage } from '../../docker/base-image.js';
import type { ProgressLog } from '../../docker/docker-cli.js';
import type { ImageSource } from './image-source.js';
import { ensureSystemImage } from './system-image.js';

export const jvmImageRepository = 'quorumcheck-jvm';

export async function ensureJvmImage(source: ImageSource, log: ProgressLog = () => {}): Promise<string> {
  const baseImage = await ensureBaseImage({ log, ...(source === 'official' ? { recipe: 'registry' as const } : {}) });
  return ensureSystemImage({
    repository: jvmImageRepository,
    tagPrefix: 'openjdk17',
    dockerfile: 'kafka/jvm.Dockerfile',
    buildArgs: { BASE_IMAGE: baseImage },
    log,
  });
}
