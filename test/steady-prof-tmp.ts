import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
const load = (p: string) => import(new URL(`../dist/${p}.js`, import.meta.url).href);
const { resolveRunOptions } = await load('run/options');
const { executeRun, planRun } = await load('run/pipeline');
const { SILENT } = await load('run/progress');
const { simWorldMaker } = await load('run/worlds/sim-world');
const seeds = [20261201, 20261202, 20261203, 20261204, 20261205, 20261206, 20261207, 20261208];
async function pass() { for (const seed of seeds) { const plan = planRun(resolveRunOptions({ env: 'sim', nemesis: ['membership'] }, seed)); const world = await simWorldMaker()(plan, () => undefined); await executeRun(plan, world, SILENT, null); } }
for (let i = 0; i < 6; i++) await pass();
const s = new Session(); s.connect(); await s.post('Profiler.enable'); await s.post('Profiler.setSamplingInterval', { interval: 100 }); await s.post('Profiler.start');
for (let i = 0; i < 6; i++) await pass();
const { profile } = await s.post('Profiler.stop');
writeFileSync(process.argv[2]!, JSON.stringify(profile));
