/**
 * The etcd image: etcd on the quorumcheck base image, with the node entry script every system's
 * image keeps (docker/bin/quorumcheck-node-entry). Locally etcd comes from Debian's archive
 * (docker/etcd/etcd.Dockerfile); with official images from gcr.io/etcd-development/etcd
 * (docker/etcd/etcd-official.Dockerfile).
 */
import path from 'node:path';
import { ensureBaseImage } from '../../docker/base-image.js';
import type { ProgressLog } from '../../docker/docker-cli.js';
import { dockerRecipeDir } from '../../docker/project-paths.js';
import { imageSource, type ImageSource } from '../reference/image-source.js';
import { ensureSystemImage, type SystemImageRecipe } from '../reference/system-image.js';
import { resolveEtcdVersion } from './etcd-version.js';

export const etcdImageRepository = 'quorumcheck-etcd';

export interface EtcdImageOptions {
  version?: string;
  source?: ImageSource;
  log?: ProgressLog;
}

export async function ensureEtcdImage(options: EtcdImageOptions = {}): Promise<string> {
  const source = options.source ?? imageSource();
  const version = resolveEtcdVersion(options.version, source);
  const log = options.log ?? (() => {});
  const baseImage = await ensureBaseImage({ log, ...(source === 'official' ? { recipe: 'registry' as const } : {}) });
  return ensureSystemImage({ ...(source === 'local' ? localEtcdRecipe(version, baseImage) : officialEtcdRecipe(version, baseImage)), log });
}

function localEtcdRecipe(version: string, baseImage: string): SystemImageRecipe {
  return {
    repository: etcdImageRepository,
    tagPrefix: version,
    dockerfile: 'etcd/etcd.Dockerfile',
    buildArgs: { BASE_IMAGE: baseImage },
    files: { 'quorumcheck-node-entry': path.join(dockerRecipeDir, 'bin', 'quorumcheck-node-entry') },
  };
}

/**
 * etcd's binaries from gcr.io/etcd-development/etcd:vVERSION, which has them in /usr/local/bin
 * (etcd's Dockerfile-release). Needs a registry: not verified on our machines.
 */
export function officialEtcdRecipe(version: string, baseImage: string): SystemImageRecipe {
  return {
    ...localEtcdRecipe(version, baseImage),
    tagPrefix: `${version}-official`,
    dockerfile: 'etcd/etcd-official.Dockerfile',
    buildArgs: { BASE_IMAGE: baseImage, ETCD_IMAGE: `gcr.io/etcd-development/etcd:v${version}` },
  };
}
