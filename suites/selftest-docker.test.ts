/**
 * The suite catches quorumd's bug switches against real containers too: `quorumcheck selftest
 * --env docker` (a user's command line, in a child process) runs each switch that has a container
 * scenario through the Docker world, with the switch in every node's server.properties, until a
 * behaviour check catches it, and checks the same seed without the switch stays valid.
 *
 * CI (smoke) runs the read and high-watermark switches, each caught in its first run when this was
 * written, in one selftest: their scenarios are the same, so a seed's run without the switch
 * serves both (three cluster starts, not four). The nightly matrix adds the vote switches and figure 8 (commit-before-own-epoch), which need
 * faults to line up and take more runs: vote-before-persist needs two candidates in one epoch and
 * the vote-kill nemesis killing a voter between them (5 nodes, about 150 s a run pair). Against containers every switch runs with
 * quorumd's safety assertions off (a node's assertion would end its process).
 */
import { execa } from 'execa';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../src/harness/docker/project-paths.js';
import type { SelftestReport } from '../src/selftest/selftest.js';
import { dockerEngineForTests } from '../test/support/docker-context.js';
import { conformanceRunsRoot, leftoversOf } from './support/conformance-run.js';
import { conformanceLevel } from './support/topologies.js';

const engine = await dockerEngineForTests();
const level = conformanceLevel();

/** What each switch breaks, so what must catch it. */
const CASES = [
  { name: 'read-without-read-index', catchers: ['linearizability'], runs: 2, smoke: true },
  { name: 'commit-without-majority', catchers: ['MajorityReachedHighWatermark'], runs: 2, smoke: true },
  // Caught at the 1st, 3rd, 4th and 2nd seed from four bases (4 catches in 10 seeds): 10 seeds miss it about once in 100 nights.
  { name: 'vote-before-persist', catchers: ['SingleVote', 'SingleLeader'], runs: 10, smoke: false },
  { name: 'vote-without-log-check', catchers: ['ConsistentCommittedData', 'NoAcknowledgedWriteLost', 'linearizability'], runs: 6, smoke: false },
  { name: 'commit-before-own-epoch', catchers: ['LeaderCommitsOwnEpoch'], runs: 4, smoke: false },
] as const;

/** A container run: cluster start, 30 s of faults, recovery, the checks; twice (with and without the switch). */
const RUN_MS = 240_000;

describe.skipIf(!engine.available)(`quorumcheck selftest --env docker (${level})`, () => {
  const cases = level === 'nightly' ? CASES : CASES.filter((entry) => entry.smoke);
  // Switches with the same number of seeds run in one selftest, so those with the same scenario
  // (the read and high-watermark switches) share each seed's run without the switch.
  const groups = [...new Set(cases.map((entry) => entry.runs))].map((runs) => ({
    runs, switches: cases.filter((entry) => entry.runs === runs), names: cases.filter((entry) => entry.runs === runs).map((entry) => entry.name).join(', '),
  }));
  it.each(groups)('$names caught in containers', { timeout: 2 * RUN_MS * 10 * 2 }, async ({ runs, switches, names }) => {
    const args = ['selftest', '--env', 'docker', '--switch', names.replaceAll(' ', ''), '--seeds', String(runs), '--runs-dir', conformanceRunsRoot, '--json'];
    const child = execa('node', ['--import', 'tsx', path.join(repositoryRoot, 'src', 'cli', 'quorumcheck.ts'), ...args], {
      cwd: repositoryRoot, reject: false, timeout: 2 * RUN_MS * runs * switches.length, killSignal: 'SIGINT',
    });
    const pid = child.pid ?? -1;
    const outcome = await child;
    const told = `npx quorumcheck ${args.join(' ')}: exit ${outcome.exitCode}\n${String(outcome.stderr).split('\n').slice(-15).join('\n')}`;
    expect(outcome.exitCode, told).toBe(0);
    const report = JSON.parse(String(outcome.stdout)) as SelftestReport;
    expect(report.results.map((result) => result.name)).toEqual(switches.map((entry) => entry.name));
    for (const [index, { name, catchers }] of switches.entries()) {
      const result = report.results[index]!;
      expect(result.caught, `${name}: ${told}`).toBe(true);
      expect(result.failingWithout, name).toEqual([]);
      const caughtBy = result.caughtBy.map((entry) => entry.check);
      expect(caughtBy.some((check) => (catchers as readonly string[]).includes(check)), `${name} caught by ${caughtBy.join(', ')}`).toBe(true);
      console.log(`${name} caught in containers at seed ${result.seed} (${result.seedsTried} tried, ${result.runs} runs, ` +
        `${Math.round(result.wallMs / 1000)} s) by ${caughtBy.join(', ')}`);
    }
    expect(await leftoversOf(pid)).toEqual([]);
  });
});
