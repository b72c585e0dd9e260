/**
 * The official-image recipes (QUORUMCHECK_SYSTEM_IMAGES=official: Kafka from apache/kafka,
 * ZooKeeper from zookeeper, etcd from gcr.io/etcd-development/etcd) need a registry, which our
 * machines do not reach, so they have never run here against the real images. What can be
 * checked here is checked:
 *  - each recipe, as the code would build it, read as Docker reads it: every build argument the
 *    code passes is declared and every one it needs is passed, every variable is in scope, every
 *    COPY --from names a stage and every COPY a file of the context (test/support/dockerfile-recipe.ts);
 *  - each recipe built for real, with a stand-in image in place of the registry's: a local image
 *    laid out as the official one is (/opt/kafka/libs, /apache-zookeeper-V-bin/lib,
 *    /usr/local/bin/etcd), so the build steps and paths are exercised, not the images themselves.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureBaseImage } from '../../../src/harness/docker/base-image.js';
import { docker } from '../../../src/harness/docker/docker-cli.js';
import { dockerRecipeDir } from '../../../src/harness/docker/project-paths.js';
import { officialKafkaRecipe, officialKafkaZookeeperRecipe } from '../../../src/harness/systems/apache-kafka/kafka-image.js';
import { resolveKafkaVersion, resolveZookeeperVersion } from '../../../src/harness/systems/apache-kafka/kafka-version.js';
import { officialEtcdRecipe } from '../../../src/harness/systems/etcd/etcd-image.js';
import { etcdOfficialLatest } from '../../../src/harness/systems/etcd/etcd-version.js';
import { ensureSystemImage, type SystemImageRecipe } from '../../../src/harness/systems/reference/system-image.js';
import { dockerEngineForTests, imageBuildTimeoutMs } from '../../support/docker-context.js';
import { readDockerfile, recipeProblems } from '../../support/dockerfile-recipe.js';

const engine = await dockerEngineForTests();
const kafkaVersion = resolveKafkaVersion('kraft', undefined);
const zkKafkaVersion = resolveKafkaVersion('zookeeper', undefined);
const zookeeperVersion = resolveZookeeperVersion(undefined);

/** Every official recipe as ensureKafkaImage and ensureEtcdImage would build it. */
function officialRecipes(base: string, jvm: string, kafka: string): { name: string; recipe: SystemImageRecipe; registryArg: string }[] {
  return [
    { name: 'kafka', recipe: officialKafkaRecipe(kafkaVersion, jvm), registryArg: 'KAFKA_IMAGE' },
    { name: 'kafka-zookeeper', recipe: officialKafkaZookeeperRecipe(zkKafkaVersion, zookeeperVersion, kafka), registryArg: 'ZOOKEEPER_IMAGE' },
    { name: 'etcd', recipe: officialEtcdRecipe(etcdOfficialLatest, base), registryArg: 'ETCD_IMAGE' },
  ];
}

function contextOf(recipe: SystemImageRecipe): string[] {
  return [...Object.keys(recipe.files ?? {}), ...Object.keys(recipe.directories ?? {})];
}

describe('the official-image recipes, read as Docker reads them', () => {
  it.each(officialRecipes('base', 'jvm', 'kafka'))('$name: arguments, variables, stages and context files agree with the code', async ({ recipe, registryArg }) => {
    const text = await readFile(path.join(dockerRecipeDir, recipe.dockerfile), 'utf8');
    expect(recipeProblems(text, { buildArgs: recipe.buildArgs, context: contextOf(recipe) })).toEqual([]);
    // The image it copies from is the project's own, by its registry name and the version asked for.
    expect(recipe.buildArgs[registryArg]).toMatch(/^(apache\/kafka|zookeeper|gcr\.io\/etcd-development\/etcd):v?\d+\.\d+\.\d+$/);
  });

  it('the reader can fail: each mistake it is for is named', () => {
    const broken = [
      'ARG BASE_IMAGE', 'FROM ${BASE_IMAGE} AS one', 'FROM ${OTHER}', 'COPY --from=two /a /b', 'COPY missing.sh /usr/local/bin/',
      'COPY ${HOME_DIR}/lib /x', 'FROBNICATE now', 'RUN echo $SHELL_VARIABLE_IS_FINE \\', '  && true',
    ].join('\n');
    expect(readDockerfile(broken).map((instruction) => instruction.keyword)).toEqual(['ARG', 'FROM', 'FROM', 'COPY', 'COPY', 'COPY', 'FROBNICATE', 'RUN']);
    const problems = recipeProblems(broken, { buildArgs: { EXTRA: 'x' }, context: [] });
    expect(problems).toEqual([
      'line 2: ARG BASE_IMAGE has no default and the code passes none',
      'line 3: FROM uses ${OTHER}, which no ARG before the first FROM declares',
      'line 4: COPY --from=two names no earlier stage (stages: one)',
      'line 5: COPY missing.sh: the build context has no missing.sh (it has nothing)',
      'line 6: COPY uses ${HOME_DIR}, which this stage declares with no ARG',
      'line 7: unknown instruction FROBNICATE',
      'the code passes build argument EXTRA, which the recipe never declares',
    ]);
  });
});

describe.skipIf(!engine.available)('the official-image recipes, built from local stand-ins of the registry images', () => {
  const built: string[] = [];
  afterAll(async () => {
    for (const image of built.reverse()) await docker(['image', 'rm', '--force', image]).catch(() => '');
  });

  it('each builds, and its image has the programs where the node programs look for them', { timeout: imageBuildTimeoutMs }, async () => {
    const log = (line: string): void => console.log(`[official recipes] ${line}`);
    const base = await ensureBaseImage({ log });
    // One stand-in with every layout the recipes copy from (see each recipe's doc comment).
    const standIn = `quorumcheck-recipe-standin:${process.pid}`;
    const contextDir = await mkdtemp(path.join(os.tmpdir(), 'quorumcheck-standin-'));
    try {
      await writeFile(path.join(contextDir, 'Dockerfile'), [
        'ARG BASE_IMAGE', 'FROM ${BASE_IMAGE}',
        `RUN mkdir -p /opt/kafka/libs /apache-zookeeper-${zookeeperVersion}-bin/lib /usr/local/bin \\`,
        ` && touch /opt/kafka/libs/kafka-standin.jar /apache-zookeeper-${zookeeperVersion}-bin/lib/zookeeper-standin.jar \\`,
        " && printf '#!/bin/sh\\necho etcd stand-in\\n' > /usr/local/bin/etcd && cp /usr/local/bin/etcd /usr/local/bin/etcdctl \\",
        ' && chmod +x /usr/local/bin/etcd /usr/local/bin/etcdctl', '',
      ].join('\n'));
      await docker(['build', '--force-rm', '-t', standIn, '--build-arg', `BASE_IMAGE=${base}`, contextDir], { env: { DOCKER_BUILDKIT: '0' } });
      built.push(standIn);
    } finally {
      await rm(contextDir, { recursive: true, force: true });
    }
    const build = async (recipe: SystemImageRecipe, registryArg: string): Promise<string> => {
      const image = await ensureSystemImage({
        ...recipe, repository: 'quorumcheck-recipe-check', tagPrefix: `${recipe.repository.replace('quorumcheck-', '')}-${process.pid}`,
        buildArgs: { ...recipe.buildArgs, [registryArg]: standIn }, log,
      });
      built.push(image);
      return image;
    };
    const list = (image: string, directory: string): Promise<string> => docker(['run', '--rm', '--entrypoint', 'ls', image, directory]);
    // The Java layer is not what is under test: the base image stands in for it too.
    const [kafka, , etcd] = officialRecipes(base, base, 'unused');
    const kafkaImage = await build(kafka!.recipe, kafka!.registryArg);
    expect(await list(kafkaImage, '/opt/kafka/libs')).toContain('kafka-standin.jar');
    expect(await list(kafkaImage, '/usr/local/bin')).toContain('quorumcheck-node-entry');
    const zookeeper = officialRecipes(base, base, kafkaImage)[1]!;
    const zookeeperImage = await build(zookeeper.recipe, zookeeper.registryArg);
    expect(await list(zookeeperImage, '/opt/zookeeper/libs')).toContain('zookeeper-standin.jar');
    expect(await list(zookeeperImage, '/opt/kafka/libs')).toContain('kafka-standin.jar');
    const etcdImage = await build(etcd!.recipe, etcd!.registryArg);
    expect(await docker(['run', '--rm', '--entrypoint', '/usr/local/bin/etcd', etcdImage])).toContain('etcd stand-in');
    expect(await list(etcdImage, '/usr/local/bin')).toContain('quorumcheck-node-entry');
  });
});
