/**
 * The quorumd base image: Node 20 on Debian bookworm with iptables, iproute2, libfaketime and
 * procps. Two recipes give the same layout (node at /usr/local/bin/node):
 * - `registry`: FROM node:20-bookworm-slim (docker/base-registry.Dockerfile), where it can be
 *   pulled;
 * - `debootstrap`: a minbase root file system from Debian's archive plus this host's own node
 *   binary (same glibc), turned into an image with `docker import`. Our machines reach no
 *   registry, so this is the one they use; it needs root and debootstrap.
 * Each is tagged by a hash of its recipe, so it is built once and reused until the recipe (or
 * the host's node binary) changes.
 */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { docker, imageExists, type ProgressLog } from './docker-cli.js';
import { withBuildLock } from './build-lock.js';
import { removeRootDir } from './root-dir-removal.js';
import { hashFile, hashStrings } from './content-hash.js';
import { dockerRecipeDir } from './project-paths.js';

export type BaseRecipe = 'registry' | 'debootstrap';
export type BaseRecipeChoice = BaseRecipe | 'auto';

export const baseImageRepository = 'quorumcheck-base';
export const registryNodeImage = 'node:20-bookworm-slim';
export const debianMirror = 'http://deb.debian.org/debian';
export const basePackages = ['iptables', 'iproute2', 'ca-certificates', 'libfaketime', 'faketime', 'procps'];
/** A pull that has not answered in this long will not (no registry on this network). */
const pullTimeoutMs = 60_000;
/** The image's environment: `docker import` starts with none. */
const importChanges = [
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  'ENV LANG=C.UTF-8',
  'CMD ["node"]',
];

export interface BaseImageOptions {
  /** `auto` (default, or QUORUMCHECK_BASE): reuse any built base, else pull, else debootstrap. */
  recipe?: BaseRecipeChoice;
  log?: ProgressLog;
}

export function debootstrapArgs(rootDir: string): string[] {
  return ['--variant=minbase', `--include=${basePackages.join(',')}`, 'bookworm', rootDir, debianMirror];
}

/** The tag each recipe would produce now. */
export async function baseImageTags(): Promise<Record<BaseRecipe, string>> {
  const registryDockerfile = await readFile(path.join(dockerRecipeDir, 'base-registry.Dockerfile'), 'utf8');
  const nodeBinaryHash = await hashFile(process.execPath);
  return {
    registry: `${baseImageRepository}:registry-${hashStrings([registryDockerfile])}`,
    debootstrap: `${baseImageRepository}:debootstrap-${hashStrings([
      ...debootstrapArgs('ROOT'),
      ...importChanges,
      nodeBinaryHash,
    ])}`,
  };
}

/** Returns the name of a base image present in the engine, building it if none is. */
export async function ensureBaseImage(options: BaseImageOptions = {}): Promise<string> {
  const log = options.log ?? (() => {});
  const choice = parseRecipeChoice(options.recipe ?? process.env.QUORUMCHECK_BASE ?? 'auto');
  const tags = await baseImageTags();
  // The debootstrap root is under the system's temporary folder and the tags are the engine's: one lock for the machine.
  return withBuildLock('quorumcheck-base', log, async () => {
    const candidates: BaseRecipe[] = choice === 'auto' ? ['debootstrap', 'registry'] : [choice];
    for (const recipe of candidates) {
      if (await imageExists(tags[recipe])) {
        log(`base image ${tags[recipe]} is present; reusing it`);
        return tags[recipe];
      }
    }
    if (choice !== 'debootstrap' && (await registryImageAvailable(log))) {
      await buildRegistryBase(tags.registry, log);
      return tags.registry;
    }
    if (choice === 'registry') {
      throw new Error(`cannot pull ${registryNodeImage}; use QUORUMCHECK_BASE=debootstrap (or auto) here`);
    }
    await buildDebootstrapBase(tags.debootstrap, log);
    return tags.debootstrap;
  }, 'machine');
}

function parseRecipeChoice(value: string): BaseRecipeChoice {
  if (value === 'auto' || value === 'registry' || value === 'debootstrap') return value;
  throw new Error(`base image recipe must be auto, registry or debootstrap (QUORUMCHECK_BASE), got '${value}'`);
}

async function registryImageAvailable(log: ProgressLog): Promise<boolean> {
  if (await imageExists(registryNodeImage)) return true;
  log(`pulling ${registryNodeImage}`);
  const result = await execa('docker', ['pull', registryNodeImage], { reject: false, timeout: pullTimeoutMs });
  if (result.exitCode === 0) return true;
  log(`cannot pull ${registryNodeImage} (${String(result.stderr || result.shortMessage).trim()}); using debootstrap`);
  return false;
}

async function buildRegistryBase(tag: string, log: ProgressLog): Promise<void> {
  log(`building ${tag} FROM ${registryNodeImage}`);
  await docker(['build', '-t', tag, '-f', path.join(dockerRecipeDir, 'base-registry.Dockerfile'), dockerRecipeDir], {
    env: { DOCKER_BUILDKIT: '0' },
    onLine: log,
  });
}

async function buildDebootstrapBase(tag: string, log: ProgressLog): Promise<void> {
  await assertCanDebootstrap();
  // Named by the tag, and marked when complete, so a failed import does not repeat debootstrap.
  const rootDir = path.join(os.tmpdir(), `quorumcheck-rootfs-${tag.split(':')[1] ?? 'base'}`);
  const completeMarker = `${rootDir}.complete`;
  const startedMs = Date.now();
  if (!existsSync(completeMarker)) {
    await removeRootDir(rootDir);
    await mkdir(rootDir, { recursive: true });
    await runDebootstrap(rootDir, startedMs, log);
    await slimRootFileSystem(rootDir);
    await copyFile(process.execPath, path.join(rootDir, 'usr/local/bin/node'));
    await writeFile(completeMarker, tag);
  }
  log(`importing ${rootDir} as ${tag}`);
  const importArgs = ['import', ...importChanges.flatMap((change) => ['--change', change]), '-', tag];
  // buffer: false, or execa would hold the whole 300 MB tar stream in memory.
  await execa('tar', ['-C', rootDir, '-c', '.'], { buffer: false }).pipe('docker', importArgs).catch((error: unknown) => {
    throw new Error(`docker import of ${rootDir} failed: ${(error as { shortMessage?: string }).shortMessage ?? String(error)}`);
  });
  await removeRootDir(rootDir);
  await rm(completeMarker, { force: true });
  log(`built ${tag} in ${Math.round((Date.now() - startedMs) / 1000)} s`);
}

async function runDebootstrap(rootDir: string, startedMs: number, log: ProgressLog): Promise<void> {
  log(`debootstrap bookworm into ${rootDir} (40 to 80 s on our machines)`);
  let packagesSeen = 0;
  const debootstrap = execa('debootstrap', debootstrapArgs(rootDir), { all: true, reject: false });
  const tail: string[] = [];
  debootstrap.all.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      tail.push(line);
      if (tail.length > 20) tail.shift();
      // debootstrap prints a line per package and step; every 25th keeps progress visible but short.
      if (!/^I: (Retrieving|Validating|Unpacking|Configuring) /.test(line)) continue;
      packagesSeen += 1;
      if (packagesSeen % 25 === 0) log(`debootstrap: ${line.slice(3)} (${Math.round((Date.now() - startedMs) / 1000)} s)`);
    }
  });
  const result = await debootstrap;
  if (result.exitCode !== 0) {
    throw new Error(`debootstrap ${debootstrapArgs(rootDir).join(' ')} failed (exit ${result.exitCode}):\n${tail.join('\n')}`);
  }
}

/** Package caches and documentation are a third of the root file system and never used. */
async function slimRootFileSystem(rootDir: string): Promise<void> {
  for (const relative of ['var/cache/apt/archives', 'var/lib/apt/lists', 'usr/share/doc', 'usr/share/man', 'usr/share/locale']) {
    await rm(path.join(rootDir, relative), { recursive: true, force: true });
  }
}

async function assertCanDebootstrap(): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new Error(`building the base image from debootstrap needs root; or make ${registryNodeImage} pullable`);
  }
  const found = await execa('sh', ['-c', 'command -v debootstrap'], { reject: false });
  if (found.exitCode !== 0) {
    throw new Error('debootstrap is not installed; run docker/engine-setup.sh (it installs it) or apt-get install debootstrap');
  }
}
