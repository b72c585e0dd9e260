/**
 * Fetches a Java server's runtime class path from Maven Central with the project's small poms
 * (docker/kafka/pom.xml, docker/zookeeper/pom.xml) and `mvn dependency:copy-dependencies`, and
 * caches it by artifact, version and pom outside the repository:
 * `$XDG_CACHE_HOME/quorumcheck/maven/<name>-<version>-<pom hash>/` (default `~/.cache`).
 * A cached class path is complete (marked after the copy succeeded), so a fetch that broke half
 * way is fetched again, never used.
 */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { withBuildLock } from '../../docker/build-lock.js';
import { hashStrings } from '../../docker/content-hash.js';
import type { ProgressLog } from '../../docker/docker-cli.js';
import { dockerRecipeDir } from '../../docker/project-paths.js';

export interface ClassPathRequest {
  /** What it is, for the cache's name and messages: `kafka`, `zookeeper`. */
  name: string;
  version: string;
  /** The pom, relative to docker/. */
  pom: string;
  /** `-D` properties for the pom (the version property among them). */
  properties: Readonly<Record<string, string>>;
  log?: ProgressLog;
}

/** A class path that could not be fetched: names the artifact, the version and Maven's words. */
export class ClassPathFetchError extends Error {
  readonly code = 'CLASS_PATH_FETCH_FAILED';
  constructor(readonly artifact: string, readonly version: string, detail: string, options?: { cause?: unknown }) {
    super(`cannot fetch ${artifact} ${version} from Maven Central: ${detail}`, options);
    this.name = 'ClassPathFetchError';
  }
}

/** Maven resolves and downloads a class path in seconds here; ten minutes is a hung network. */
const fetchTimeoutMs = 10 * 60_000;
const completeMarker = '.complete';

export function mavenCacheRoot(): string {
  const cacheHome = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'quorumcheck', 'maven');
}

/** The directory that holds (or will hold) the request's jars. */
export async function classPathDir(request: ClassPathRequest): Promise<string> {
  const pom = await readFile(path.join(dockerRecipeDir, request.pom), 'utf8');
  const properties = Object.entries(request.properties).sort().map(([key, value]) => `${key}=${value}`);
  return path.join(mavenCacheRoot(), `${request.name}-${request.version}-${hashStrings([pom, ...properties])}`);
}

/** Returns a directory of the class path's jars, fetching it first if it is not cached. */
export async function ensureClassPath(request: ClassPathRequest): Promise<string> {
  const log = request.log ?? (() => {});
  const dir = await classPathDir(request);
  if (existsSync(path.join(dir, completeMarker))) return dir;
  return withBuildLock(`maven-${path.basename(dir)}`, log, async () => {
    if (existsSync(path.join(dir, completeMarker))) return dir;
    await assertMavenInstalled(request);
    const startedMs = Date.now();
    const partial = `${dir}.partial`;
    await rm(partial, { recursive: true, force: true });
    log(`fetching the ${request.name} ${request.version} class path from Maven Central (docker/${request.pom})`);
    const args = [
      '-B', '-q', '-f', path.join(dockerRecipeDir, request.pom),
      ...Object.entries(request.properties).map(([key, value]) => `-D${key}=${value}`),
      `-Dlib.dir=${partial}`,
      'dependency:copy-dependencies',
    ];
    const result = await execa('mvn', args, { all: true, reject: false, timeout: fetchTimeoutMs });
    if (result.exitCode !== 0 || result.failed) {
      await rm(partial, { recursive: true, force: true });
      throw new ClassPathFetchError(request.name, request.version, mavenFailure(String(result.all ?? result.shortMessage)), { cause: result });
    }
    const jars = (await readdir(partial)).filter((file) => file.endsWith('.jar'));
    if (jars.length === 0) throw new ClassPathFetchError(request.name, request.version, `mvn copied no jars into ${partial}`);
    await writeFile(path.join(partial, completeMarker), `${jars.length} jars\n`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(path.dirname(dir), { recursive: true });
    await rename(partial, dir);
    log(`fetched ${jars.length} jars of ${request.name} ${request.version} in ${Math.round((Date.now() - startedMs) / 1000)} s into ${dir}`);
    return dir;
  });
}

async function assertMavenInstalled(request: ClassPathRequest): Promise<void> {
  const found = await execa('sh', ['-c', 'command -v mvn'], { reject: false });
  if (found.exitCode !== 0) {
    throw new ClassPathFetchError(request.name, request.version,
      'Maven (mvn) is not installed: apt-get install maven, or use the official images (QUORUMCHECK_SYSTEM_IMAGES=official)');
  }
}

/** Maven's own reason, without its banner: the ERROR lines, else the output's tail. */
export function mavenFailure(output: string): string {
  const lines = output.split('\n').map((line) => stripColours(line).trim()).filter((line) => line !== '');
  const errors = lines.filter((line) => line.startsWith('[ERROR]'))
    .map((line) => line.slice('[ERROR]'.length).trim())
    .filter((line) => line !== '' && !/^(To see the full|Re-run Maven|For more information|\[Help \d+\])/.test(line));
  const chosen = errors.length > 0 ? errors.slice(0, 4) : lines.slice(-6);
  return chosen.join('\n') || 'mvn failed with no output';
}

/** Maven colours its output even with -B on some terminals: drop ANSI escape sequences. */
function stripColours(line: string): string {
  return line.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
}
