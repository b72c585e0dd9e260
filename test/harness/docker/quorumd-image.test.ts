import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkoutLabel, ensureQuorumdImage, olderImageAgeMsMin, olderImageMayGo } from '../../../src/harness/docker/quorumd-image.js';
import { docker, imageExists } from '../../../src/harness/docker/docker-cli.js';
import { repositoryRoot } from '../../../src/harness/docker/project-paths.js';
import { dockerEngineForTests, imageBuildTimeoutMs } from '../../support/docker-context.js';

const engine = await dockerEngineForTests();

describe.skipIf(!engine.available)('the quorumd image', () => {
  const scratch: string[] = [];
  afterAll(async () => {
    for (const dir of scratch) await rm(dir, { recursive: true, force: true });
  });

  it('builds (cold once), then is reused without a build while nothing changed', { timeout: imageBuildTimeoutMs }, async () => {
    const coldStartedMs = Date.now();
    const image = await ensureQuorumdImage({ log: (line) => console.log(`[docker] ${line}`) });
    console.log(`first ensureQuorumdImage: ${Date.now() - coldStartedMs} ms (cold if no image existed)`);
    expect(image).toMatch(/^quorumd:[0-9a-f]{16}$/);

    const lines: string[] = [];
    const warmStartedMs = Date.now();
    expect(await ensureQuorumdImage({ log: (line) => lines.push(line) })).toBe(image);
    console.log(`warm ensureQuorumdImage: ${Date.now() - warmStartedMs} ms`);
    expect(lines.filter((line) => line.startsWith('building'))).toEqual([]);
    expect(lines.at(-1)).toBe(`image ${image} is up to date`);
  });

  it('runs Node 20 with the project and the nemesis tools (iptables, ip, libfaketime)', async () => {
    const image = await ensureQuorumdImage();
    const script = [
      'node -p "process.versions.node"',
      'node -e "import(\'/opt/quorumd/node_modules/kafkajs/index.js\').then(() => console.log(\'kafkajs ok\'))"',
      'test -f /opt/quorumd/dist/cli/quorumcheck.js && echo dist ok',
      'iptables --version', 'ip -V',
      'faketime -f +1d date +%s; date +%s',
    ].join(' && ');
    const output = await docker(['run', '--rm', '--entrypoint', 'sh', image, '-c', script]);
    const lines = output.split('\n');
    expect(lines[0]).toMatch(/^20\./);
    expect(output).toContain('kafkajs ok');
    expect(output).toContain('dist ok');
    expect(output).toMatch(/iptables v1\.8/);
    expect(output).toMatch(/iproute2/);
    const [skewed, real] = lines.slice(-2).map(Number);
    expect(skewed! - real!).toBeGreaterThanOrEqual(86_399); // libfaketime moved the clock a day
  });

  it('a code change rebuilds only the project layer and gives a new tag', async () => {
    const image = await ensureQuorumdImage();
    const distDir = await mkdtemp(path.join(os.tmpdir(), 'quorumcheck-dist-'));
    scratch.push(distDir);
    await cp(path.join(repositoryRoot, 'dist'), distDir, { recursive: true });
    const marker = `changed-${process.pid}-${Date.now()}`;
    await writeFile(path.join(distDir, 'cli', 'image-test-marker.txt'), marker);

    const lines: string[] = [];
    const startedMs = Date.now();
    const changed = await ensureQuorumdImage({ distDir, log: (line) => lines.push(line) });
    console.log(`rebuild after a code change: ${Date.now() - startedMs} ms`);
    expect(changed).not.toBe(image);
    expect(lines.filter((line) => line.startsWith('building'))).toEqual([`building ${changed}`]);
    const inImage = await docker(['run', '--rm', '--entrypoint', 'cat', changed, '/opt/quorumd/dist/cli/image-test-marker.txt']);
    expect(inImage).toBe(marker);
    expect(await docker(['image', 'inspect', '--format', `{{index .Config.Labels "${checkoutLabel}"}}`, changed])).toBe(repositoryRoot);

    // Put the repository's own build back as the current image, so other tests find it.
    expect(await ensureQuorumdImage()).toBe(image);
    await docker(['image', 'rm', changed]).catch(() => {});
    expect(await imageExists(image)).toBe(true);
  });

  it("removes only its own checkout's older images, a vanished checkout's or unlabelled ones", async () => {
    const otherCheckout = await mkdtemp(path.join(os.tmpdir(), 'quorumcheck-checkout-'));
    scratch.push(otherCheckout);
    const vanished = path.join(otherCheckout, 'removed-worktree');
    const nowMs = Date.now();
    const old = nowMs - olderImageAgeMsMin - 60_000;
    // Another checkout's image is kept however old: a CI clone beside a worktree still needs its own.
    expect(await olderImageMayGo({ createdMs: old, checkout: otherCheckout }, nowMs)).toBe(false);
    expect(await olderImageMayGo({ createdMs: old, checkout: vanished }, nowMs)).toBe(true);
    expect(await olderImageMayGo({ createdMs: old, checkout: repositoryRoot }, nowMs)).toBe(true);
    expect(await olderImageMayGo({ createdMs: old, checkout: '<no value>' }, nowMs)).toBe(true);
    // A young image stays whoever built it: a parallel run may just have resolved its name.
    expect(await olderImageMayGo({ createdMs: nowMs - 60_000, checkout: repositoryRoot }, nowMs)).toBe(false);
  });

  it('refuses to build without a built dist/, saying how to make one', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'quorumcheck-nodist-'));
    scratch.push(empty);
    await expect(ensureQuorumdImage({ distDir: empty })).rejects.toThrow(/cli does not exist: build the project first \(npm run build\)/);
  });
});

