/**
 * Builds the image of a system under test other than quorumd (Kafka, ZooKeeper, etcd) from a
 * recipe in docker/<system>/ and a staged build context, tagged by a hash of everything that goes
 * in, so an unchanged recipe reuses the image with no build at all. Builds use the legacy builder
 * (BuildKit is not installed on our machines) under a lock shared with parallel test workers.
 *
 * Every failure names the image and the recipe, with the tail of Docker's output: "an image that
 * cannot be built" must say which, and why.
 */
import { cp, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { withBuildLock } from '../../docker/build-lock.js';
import { hashStrings, hashTree } from '../../docker/content-hash.js';
import { docker, DockerCommandError, imageExists, type ProgressLog } from '../../docker/docker-cli.js';
import { dockerRecipeDir, scratchDir } from '../../docker/project-paths.js';

export interface SystemImageRecipe {
  /** Image repository, e.g. `quorumcheck-kafka`. */
  repository: string;
  /** A readable prefix of the tag, e.g. the version (`4.4.0`); the content hash follows it. */
  tagPrefix: string;
  /** The Dockerfile, relative to docker/ (e.g. `kafka/kafka.Dockerfile`). */
  dockerfile: string;
  buildArgs: Readonly<Record<string, string>>;
  /** Directories copied into the context: context-relative name → source directory. */
  directories?: Readonly<Record<string, string>>;
  /** Files copied into the context: context-relative name → source file. */
  files?: Readonly<Record<string, string>>;
  log?: ProgressLog;
}

/** Thrown when `docker build` of a system image fails; names the image and the recipe. */
export class SystemImageBuildError extends Error {
  readonly code = 'SYSTEM_IMAGE_BUILD_FAILED';
  constructor(readonly image: string, readonly dockerfile: string, detail: string, options?: { cause?: unknown }) {
    super(`cannot build image ${image} from docker/${dockerfile} ${detail}`, options);
    this.name = 'SystemImageBuildError';
  }
}

/** How much of Docker's output a build failure carries. */
const failureOutputLinesMax = 25;

/** The tag the recipe builds now (without building). */
export async function systemImageTag(recipe: SystemImageRecipe): Promise<string> {
  const parts = [await readFile(path.join(dockerRecipeDir, recipe.dockerfile), 'utf8')];
  for (const [name, value] of Object.entries(recipe.buildArgs).sort()) parts.push(`${name}=${value}`);
  for (const [name, source] of Object.entries(recipe.directories ?? {}).sort()) parts.push(name, await hashTree(source));
  for (const [name, source] of Object.entries(recipe.files ?? {}).sort()) parts.push(name, await readFile(source, 'utf8'));
  return `${recipe.repository}:${recipe.tagPrefix}-${hashStrings(parts)}`;
}

/** Returns the image's name, building it if it does not exist yet. */
export async function ensureSystemImage(recipe: SystemImageRecipe): Promise<string> {
  const log = recipe.log ?? (() => {});
  const image = await systemImageTag(recipe);
  if (await imageExists(image)) return image;
  return withBuildLock(`${recipe.repository}-${recipe.tagPrefix}`, log, async () => {
    if (await imageExists(image)) return image;
    const startedMs = Date.now();
    const contextDir = path.join(scratchDir, 'image-context', `${recipe.repository}-${recipe.tagPrefix}`);
    await rm(contextDir, { recursive: true, force: true });
    await mkdir(contextDir, { recursive: true });
    try {
      for (const [name, source] of Object.entries(recipe.directories ?? {})) {
        await cp(source, path.join(contextDir, name), { recursive: true });
      }
      for (const [name, source] of Object.entries(recipe.files ?? {})) {
        await cp(source, path.join(contextDir, name));
      }
      await cp(path.join(dockerRecipeDir, recipe.dockerfile), path.join(contextDir, 'Dockerfile'));
      log(`building ${image} from docker/${recipe.dockerfile}`);
      // --force-rm: the legacy builder otherwise keeps the container of a failed step.
      const args = ['build', '--force-rm', '-f', path.join(contextDir, 'Dockerfile'), '-t', image];
      for (const [name, value] of Object.entries(recipe.buildArgs)) args.push('--build-arg', `${name}=${value}`);
      const output: string[] = [];
      await docker([...args, contextDir], {
        env: { DOCKER_BUILDKIT: '0' },
        onLine: (line) => {
          output.push(line);
          if (output.length > failureOutputLinesMax) output.shift();
          if (/^Step \d+/.test(line)) log(line);
        },
      }).catch((error: unknown) => {
        const reason = withoutBanner(error instanceof DockerCommandError ? error.stderr : String(error));
        // Docker's reason for a missing base names a registry, not the image: say what was asked.
        const inputs = Object.entries(recipe.buildArgs).map(([name, value]) => `${name}=${value}`).join(' ');
        throw new SystemImageBuildError(image, recipe.dockerfile,
          `(${inputs}): ${reason}\nlast lines of the build:\n${withoutBanner(output.join('\n'))}`, { cause: error });
      });
      log(`built ${image} in ${Math.round((Date.now() - startedMs) / 1000)} s`);
      await removeOlderBuilds(recipe.repository, recipe.tagPrefix, image, log);
      return image;
    } finally {
      await rm(contextDir, { recursive: true, force: true });
    }
  });
}

/** The legacy builder's deprecation banner says nothing about the failure. */
function withoutBanner(text: string): string {
  return text.split('\n')
    .filter((line) => !/^(DEPRECATED: The legacy builder|\s+BuildKit is currently disabled|\s+environment-variable\.)/.test(line))
    .join('\n').trim();
}

/**
 * A changed recipe builds a new tag; the builds it replaces (same repository and tag prefix, an
 * older hash) are removed, except those a container still uses (the engine refuses those).
 */
async function removeOlderBuilds(repository: string, tagPrefix: string, current: string, log: (line: string) => void): Promise<void> {
  const listed = await docker(['image', 'ls', repository, '--format', '{{.Repository}}:{{.Tag}}']).catch(() => '');
  const pattern = new RegExp(`^${repository}:${tagPrefix.replace(/[.]/g, '\\.')}-[0-9a-f]{16}$`);
  for (const image of listed.split('\n')) {
    if (image === current || !pattern.test(image)) continue;
    await docker(['image', 'rm', image]).then(() => log(`removed the older build ${image}`), () => {});
  }
}
