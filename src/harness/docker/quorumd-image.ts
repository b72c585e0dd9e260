/**
 * The quorumd image, in two local images so that a code change rebuilds in seconds:
 * - `quorumd-deps:<hash>`: the base image (Node 20, iptables, iproute2, libfaketime) plus the
 *   production node_modules (docker/quorumd-deps.Dockerfile), tagged by a hash of the base and
 *   the locked production packages;
 * - `quorumd:<hash>`: that plus docker/bin's scripts, package.json and dist/
 *   (docker/quorumd.Dockerfile), tagged by a hash of everything copied in.
 * An unchanged tree reuses the image with no build at all. Builds use the legacy builder
 * (BuildKit is not installed here) on contexts staged under .quorumcheck/, because only a
 * computed subset of node_modules belongs in an image and the repository is not a context.
 */
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ensureBaseImage, type BaseRecipeChoice } from './base-image.js';
import { withBuildLock } from './build-lock.js';
import { hashStrings, hashTree } from './content-hash.js';
import { docker, imageExists, type ProgressLog } from './docker-cli.js';
import { outermostPackagePaths, productionModules, type ProductionModules } from './production-modules.js';
import { dockerRecipeDir, repositoryRoot, scratchDir } from './project-paths.js';

export const quorumdImageRepository = 'quorumd';
export const depsImageRepository = 'quorumd-deps';
/** Label on every project image (set in the Dockerfiles), so old ones can be found and removed. */
export const imageLabel = 'quorumcheck.image';
/**
 * Label naming the checkout (repository root) that built an image. Several checkouts share one
 * engine (worktrees, a CI clone beside a developer's tree): each removes only its own older
 * images, or those of a checkout that no longer exists, never an image another checkout's run
 * is about to use.
 */
export const checkoutLabel = 'quorumcheck.checkout';
/** Older project images are removed once they are this old (see removeOlderImages). */
export const olderImageAgeMsMin = 30 * 60_000;

export interface QuorumdImageOptions {
  log?: ProgressLog;
  /** Which base recipe to use (default `auto`, or QUORUMCHECK_BASE). */
  baseRecipe?: BaseRecipeChoice;
  /** The built project to copy in; default the repository's dist/ (`npm run build` makes it). */
  distDir?: string;
}

/** Returns the name (`quorumd:<hash>`) of an image holding the current build, building it if needed. */
export async function ensureQuorumdImage(options: QuorumdImageOptions = {}): Promise<string> {
  const log = options.log ?? (() => {});
  const distDir = options.distDir ?? path.join(repositoryRoot, 'dist');
  await assertBuilt(distDir);
  // At once: the staleness warning and the project layer's hash read files, the base image's
  // check asks the engine; in a row they were about a second of every run's set-up under load.
  const [, baseImage, layerParts] = await Promise.all([
    warnIfStale(distDir, log),
    ensureBaseImage({ log, ...(options.baseRecipe ? { recipe: options.baseRecipe } : {}) }),
    projectLayerParts(distDir),
  ]);
  const depsImage = await ensureDepsImage(baseImage, log);
  const imageName = `${quorumdImageRepository}:${hashStrings([depsImage, ...layerParts])}`;
  if (await imageExists(imageName)) {
    log(`image ${imageName} is up to date`);
    return imageName;
  }
  return withBuildLock('quorumd-image', log, async () => {
    if (await imageExists(imageName)) return imageName;
    const startedMs = Date.now();
    const contextDir = path.join(scratchDir, 'image-context', 'project');
    await stageProjectContext(contextDir, distDir);
    // `quorumd:latest` is for people at a shell; only the repository's own build earns it.
    const ownBuild = options.distDir === undefined || path.resolve(options.distDir) === path.join(repositoryRoot, 'dist');
    const tags = ownBuild ? [imageName, `${quorumdImageRepository}:latest`] : [imageName];
    await buildImage(contextDir, 'quorumd.Dockerfile', { DEPS_IMAGE: depsImage }, tags, log);
    log(`built ${imageName} in ${Date.now() - startedMs} ms`);
    await removeOlderImages('quorumd', imageName, log);
    return imageName;
  });
}

async function ensureDepsImage(baseImage: string, log: ProgressLog): Promise<string> {
  const modules = await productionModules(repositoryRoot);
  const recipe = await Promise.all(['quorumd-deps.Dockerfile', 'quorumd.dockerignore'].map(
    (file) => readFile(path.join(dockerRecipeDir, file), 'utf8')));
  const depsImage = `${depsImageRepository}:${hashStrings([baseImage, ...recipe, ...modules.fingerprint])}`;
  if (await imageExists(depsImage)) return depsImage;
  return withBuildLock('quorumd-deps-image', log, async () => {
    if (await imageExists(depsImage)) return depsImage;
    const startedMs = Date.now();
    const contextDir = path.join(scratchDir, 'image-context', 'deps');
    await stageDepsContext(contextDir, modules, log);
    await buildImage(contextDir, 'quorumd-deps.Dockerfile', { BASE_IMAGE: baseImage }, [depsImage], log);
    log(`built ${depsImage} in ${Date.now() - startedMs} ms`);
    await rm(contextDir, { recursive: true, force: true });
    await removeOlderImages('quorumd-deps', depsImage, log);
    return depsImage;
  });
}

/**
 * Whether this checkout may remove an older project image: one old enough, built by this checkout,
 * by one whose directory is gone, or before images were labelled ('' or '<no value>').
 */
export async function olderImageMayGo(image: { createdMs: number; checkout: string }, nowMs: number): Promise<boolean> {
  if (!(nowMs - image.createdMs > olderImageAgeMsMin)) return false;
  if (image.checkout === '' || image.checkout === '<no value>' || image.checkout === repositoryRoot) return true;
  return (await stat(image.checkout).catch(() => undefined)) === undefined;
}

async function assertBuilt(distDir: string): Promise<void> {
  const found = await stat(path.join(distDir, 'cli')).catch(() => undefined);
  if (found?.isDirectory() !== true) {
    throw new Error(`${distDir}/cli does not exist: build the project first (npm run build)`);
  }
}

async function warnIfStale(distDir: string, log: ProgressLog): Promise<void> {
  const [srcNewestMs, distNewestMs] = await Promise.all([newestMtimeMs(path.join(repositoryRoot, 'src')), newestMtimeMs(distDir)]);
  if (srcNewestMs > distNewestMs) {
    // Not an error: a test may want the image of an older build. But say so, loudly.
    log(`warning: src/ changed after ${distDir} was built; the image gets the old build (run npm run build)`);
  }
}

async function newestMtimeMs(dir: string): Promise<number> {
  const files = (await readdir(dir, { withFileTypes: true, recursive: true })).filter((entry) => entry.isFile());
  const times = await Promise.all(files.map(async (entry) => (await stat(path.join(entry.parentPath, entry.name))).mtimeMs));
  return times.reduce((newest, mtimeMs) => Math.max(newest, mtimeMs), 0);
}

/** What the project layer's hash covers besides the dependency image: recipe, package.json, scripts, build. */
async function projectLayerParts(distDir: string): Promise<string[]> {
  return Promise.all([
    readFile(path.join(dockerRecipeDir, 'quorumd.Dockerfile'), 'utf8'),
    readFile(path.join(repositoryRoot, 'package.json'), 'utf8'),
    hashTree(path.join(dockerRecipeDir, 'bin')),
    hashTree(distDir),
  ]);
}

async function stageDepsContext(contextDir: string, modules: ProductionModules, log: ProgressLog): Promise<void> {
  log(`staging ${modules.packagePaths.length} production packages`);
  await rm(contextDir, { recursive: true, force: true });
  await mkdir(contextDir, { recursive: true });
  for (const packagePath of outermostPackagePaths(modules.packagePaths)) {
    await cp(path.join(repositoryRoot, packagePath), path.join(contextDir, packagePath), { recursive: true });
  }
  await cp(path.join(dockerRecipeDir, 'quorumd-deps.Dockerfile'), path.join(contextDir, 'quorumd-deps.Dockerfile'));
  await cp(path.join(dockerRecipeDir, 'quorumd.dockerignore'), path.join(contextDir, '.dockerignore'));
}

async function stageProjectContext(contextDir: string, distDir: string): Promise<void> {
  await rm(contextDir, { recursive: true, force: true });
  await mkdir(contextDir, { recursive: true });
  await cp(distDir, path.join(contextDir, 'dist'), { recursive: true });
  await cp(path.join(dockerRecipeDir, 'bin'), path.join(contextDir, 'bin'), { recursive: true });
  await cp(path.join(repositoryRoot, 'package.json'), path.join(contextDir, 'package.json'));
  await cp(path.join(dockerRecipeDir, 'quorumd.Dockerfile'), path.join(contextDir, 'quorumd.Dockerfile'));
  await writeFile(path.join(contextDir, '.dockerignore'), '**/.DS_Store\n');
}

async function buildImage(
  contextDir: string,
  dockerfile: string,
  buildArgs: Record<string, string>,
  tags: string[],
  log: ProgressLog,
): Promise<void> {
  log(`building ${tags[0]}`);
  const args = ['build', '-f', path.join(contextDir, dockerfile)];
  for (const [name, value] of Object.entries(buildArgs)) args.push('--build-arg', `${name}=${value}`);
  for (const tag of tags) args.push('-t', tag);
  args.push('--label', `${checkoutLabel}=${repositoryRoot}`);
  await docker([...args, contextDir], {
    env: { DOCKER_BUILDKIT: '0' },
    onLine: (line) => { if (/^Step \d+/.test(line)) log(line); },
  });
}

/**
 * Each change makes a new tag; older ones would pile up. Only this checkout's images go (see
 * `checkoutLabel`; images built before the label, or by a checkout that is gone, count as
 * anyone's), and only those older than `olderImageAgeMsMin`, so a parallel run that just
 * resolved its image name still finds it; images in use by a container are kept by the engine.
 */
async function removeOlderImages(kind: string, current: string, log: ProgressLog): Promise<void> {
  const listed = await docker(['image', 'ls', '--filter', `label=${imageLabel}=${kind}`, '--format', '{{.Repository}}:{{.Tag}}']);
  for (const image of listed.split('\n')) {
    if (image === '' || image === current || image.endsWith(':latest') || image.endsWith(':<none>')) continue;
    const [created = '', checkout = ''] = (await docker(['image', 'inspect', '--format',
      `{{.Created}}\t{{index .Config.Labels "${checkoutLabel}"}}`, image])).split('\t');
    if (!(await olderImageMayGo({ createdMs: Date.parse(created), checkout }, Date.now()))) continue;
    await docker(['image', 'rm', image]).then(
      () => log(`removed older image ${image}`),
      () => log(`kept older image ${image} (in use)`),
    );
  }
  // Retagging leaves untagged project images behind; prune without --all touches only those.
  await docker(['image', 'prune', '--force', '--filter', `label=${imageLabel}=${kind}`,
    '--filter', `until=${Math.round(olderImageAgeMsMin / 60_000)}m`]);
}
