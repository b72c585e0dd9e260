/**
 * Where a reference system's programs come from:
 * - `local` (the default): built here from public package registries only, which is all our
 *   machines reach: Kafka's and ZooKeeper's class paths from Maven Central, Java and etcd from
 *   Debian's archive, on the quorumcheck base image.
 * - `official`: taken from the projects' own images (apache/kafka, zookeeper,
 *   gcr.io/etcd-development/etcd), where a container registry answers (users' machines). The
 *   programs are copied onto the same base image, so every node has the nemesis's tools.
 * Chosen by QUORUMCHECK_SYSTEM_IMAGES (or the caller).
 */
export type ImageSource = 'local' | 'official';
export const IMAGE_SOURCES: readonly ImageSource[] = ['local', 'official'];
export const imageSourceVariable = 'QUORUMCHECK_SYSTEM_IMAGES';

export function imageSource(value: string | undefined = process.env[imageSourceVariable]): ImageSource {
  if (value === undefined || value === '' || value === 'local') return 'local';
  if (value === 'official') return 'official';
  throw new Error(`${imageSourceVariable} must be local or official, got '${value}'`);
}
