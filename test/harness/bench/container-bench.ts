/**
 * Measures the container side and prints figures (no assertions: speed targets are read here,
 * not tested). Usage:
 *   node --import tsx test/harness/bench/container-bench.ts          # warm figures
 *   node --import tsx test/harness/bench/container-bench.ts --cold   # first removes the base and
 *     dependency images, so the image build is measured from debootstrap (minutes)
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { QuorumCluster } from '../../../src/harness/cluster/quorum-cluster.js';
import { docker } from '../../../src/harness/docker/docker-cli.js';
import { ensureDockerEngine } from '../../../src/harness/docker/engine.js';
import { repositoryRoot } from '../../../src/harness/docker/project-paths.js';
import { ensureQuorumdImage } from '../../../src/harness/docker/quorumd-image.js';
import { echoNodeProgram } from '../cluster/echo-node-program.js';

const cold = process.argv.includes('--cold');
const figures: [string, number][] = [];

async function measure<T>(name: string, work: () => Promise<T>): Promise<T> {
  const startedMs = performance.now();
  const result = await work();
  figures.push([name, performance.now() - startedMs]);
  return result;
}

const engine = await measure('engine check (docker/engine-setup.sh)', () => ensureDockerEngine({ log: console.log }));
if (!engine.available) {
  console.error(engine.report);
  process.exit(1);
}
if (cold) {
  const projectImages = await docker(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', '--filter', 'reference=quorum*']);
  const images = projectImages.split('\n').filter((image) => image !== '');
  if (images.length > 0) await docker(['image', 'rm', '--force', ...images]);
  console.log(`removed ${images.length} project images for a cold build`);
}
const log = (line: string): void => console.log(`  ${line}`);
const image = await measure(cold ? 'image build, cold (base + deps + project)' : 'image check, warm (no change)', () => ensureQuorumdImage({ log }));
await measure('image check, warm (no change)', () => ensureQuorumdImage());

const distDir = await mkdtemp(path.join(os.tmpdir(), 'quorumcheck-bench-dist-'));
await cp(path.join(repositoryRoot, 'dist'), distDir, { recursive: true });
await writeFile(path.join(distDir, 'cli', 'bench-marker.txt'), String(Date.now()));
const changed = await measure('image rebuild after a code change', () => ensureQuorumdImage({ distDir, log }));
await docker(['image', 'rm', changed]).catch(() => {});
await rm(distDir, { recursive: true, force: true });

for (let round = 1; round <= 3; round += 1) {
  const cluster = await measure(`3-node cluster start (round ${round})`, () =>
    new QuorumCluster({ image, nodeCount: 3, program: echoNodeProgram() }).start());
  const node2 = cluster.node(2);
  await measure(`partition node2 from node1 (iptables exec) (round ${round})`, () => node2.setPacketFilter([{ kind: 'drop', from: cluster.node(1).bridgeAddress }]));
  await measure(`heal node2 (round ${round})`, () => node2.setPacketFilter([]));
  await measure(`pause + unpause node3 (round ${round})`, async () => { await cluster.node(3).pause(); await cluster.node(3).unpause(); });
  await measure(`3-node cluster stop and removal (round ${round})`, () => cluster.stop());
}

console.log('\nfigure                                                    ms');
for (const [name, ms] of figures) console.log(`${name.padEnd(56)} ${ms.toFixed(0).padStart(7)}`);
