/**
 * The etcd versions quorumcheck knows. Its register workload and the etcd v3 client speak the
 * v3 API of the 3.4 line (Jepsen's etcd findings are about 3.4). Locally the image holds Debian
 * bookworm's etcd-server, which is 3.4.23; the official images give any 3.4 release.
 */
import type { ImageSource } from '../reference/image-source.js';
import { UnknownVersionError } from '../reference/unknown-version.js';

export const etcdDefaultVersion = '3.4';
/** What Debian bookworm's `etcd-server` package installs. */
export const etcdDebianVersion = '3.4.23';

/** The exact release the image will run; throws UnknownVersionError naming what is known. */
export function resolveEtcdVersion(version: string | undefined, source: ImageSource): string {
  const asked = version ?? etcdDefaultVersion;
  if (!/^3\.4(\.\d{1,3})?$/.test(asked)) {
    throw new UnknownVersionError('etcd', asked, `the 3.4 line (3.4, or 3.4.N with official images); locally Debian's ${etcdDebianVersion}`);
  }
  if (source === 'local') {
    if (asked !== '3.4' && asked !== etcdDebianVersion) {
      throw new UnknownVersionError('etcd', asked,
        `locally only Debian's ${etcdDebianVersion} (--version 3.4); other 3.4 releases need QUORUMCHECK_SYSTEM_IMAGES=official`);
    }
    return etcdDebianVersion;
  }
  // Official images are tagged by full release; the line alone means its last release we know.
  return asked === '3.4' ? etcdOfficialLatest : asked;
}

/** The newest 3.4 release at the time of writing, for `--version 3.4` with official images. */
export const etcdOfficialLatest = '3.4.37';
