/**
 * The suite's mutation score: every bug switch (core/bug-switches.ts) run through the run pipeline
 * (src/run) seed after seed, in its scenario (scenarios.ts), until a check that judges behaviour
 * catches it or the seeds run out.
 *
 * Per seed: the run with the switch on. If it stopped only on an assertion inside the core, the
 * same seed runs again with the safety assertions off (safety-assertions-off), and only a behaviour
 * check failing there counts: the suite must catch the bug, not the core's own tripwire. A seed
 * that catches something is then run without the switch: if it fails that way too, it is a bug of
 * quorumd (or of the suite), not the switch's catch, and is reported as such while the search goes on.
 * Against containers the switch runs with the safety assertions off from the start (a node's
 * assertion there ends its process, and the run cannot tell an assertion from a crash).
 */
import { BUG_SWITCHES, SAFETY_ASSERTIONS_OFF, type BugSwitch } from '../core/bug-switches.js';
import type { RunEnv } from '../history/run-directory-format.js';
import { resolveRunOptions, rerunCommand, type RunOptionsInput } from '../run/options.js';
import { SILENT } from '../run/progress.js';
import { runOnce, type RunReport, type WorldMaker } from '../run/run-once.js';
import { scenarioFor, type SwitchScenario } from './scenarios.js';
import { selftestWorldMaker } from './selftest-world.js';
import { judgeCatch, type CatchingCheck } from './verdicts.js';

export interface SelftestOptions {
  env: RunEnv;
  switches: readonly BugSwitch[];
  /** Seeds tried per switch at most. */
  seeds: number;
  baseSeed: number;
  /** Where failing runs' directories go (containers only: a simulated run is replayed from its seed). */
  runsRoot: string;
  onEvent?: (event: SelftestEvent) => void;
}

export type SelftestEvent =
  | { kind: 'switch'; name: BugSwitch; index: number; total: number; why: string }
  | { kind: 'seed'; name: BugSwitch; seed: number; tried: number; outcome: string; wallMs: number };

export interface SwitchResult {
  name: BugSwitch;
  description: string;
  caught: boolean;
  /** Seeds run with the switch before the first catch (it included), or all of them when missed. */
  seedsTried: number;
  /** The seed that caught it, or null. */
  seed: number | null;
  caughtBy: CatchingCheck[];
  /** The core assertion that stopped the run first on that seed (caughtBy is then from the run with assertions off). */
  assertionFirst: string | null;
  /** Seeds on which only an assertion fired, and the checks caught nothing even with assertions off. */
  assertionOnly: number[];
  /** Seeds that failed without the switch too: not the switch's catch (a bug to look into). */
  failingWithout: { seed: number; reasons: string[] }[];
  /** Runs it took in all (with the switch, with assertions off, without the switch; a control run shared with an earlier switch is not counted again). */
  runs: number;
  wallMs: number;
  /** The command that runs the catching seed again (the crash-after-vote fault is selftest's own). */
  rerun: string | null;
  scenario: string;
}

export interface SelftestReport {
  env: RunEnv;
  baseSeed: number;
  seedsPerSwitch: number;
  results: SwitchResult[];
  caught: number;
  /** caught / switches. */
  mutationScore: number;
  wallMs: number;
}

export async function runSelftest(options: SelftestOptions): Promise<SelftestReport> {
  const startedMs = performance.now();
  const results: SwitchResult[] = [];
  const controls: ControlRuns = new Map();
  for (const [index, name] of options.switches.entries()) {
    const scenario = scenarioFor(options.env, name);
    options.onEvent?.({ kind: 'switch', name, index: index + 1, total: options.switches.length, why: scenario.why });
    results.push(await hunt(name, scenario, options, controls));
  }
  const caught = results.filter((result) => result.caught).length;
  return {
    env: options.env, baseSeed: options.baseSeed, seedsPerSwitch: options.seeds, results, caught,
    mutationScore: results.length === 0 ? 1 : caught / results.length, wallMs: performance.now() - startedMs,
  };
}

/**
 * Runs without any switch, by scenario and seed: switches whose scenarios are the same (the read
 * and high-watermark switches against containers) share the control run of a seed rather than
 * each starting a cluster for it.
 */
type ControlRuns = Map<string, Promise<RunReport>>;

/** Seeds of one switch until a behaviour check catches it. */
async function hunt(name: BugSwitch, scenario: SwitchScenario, options: SelftestOptions, controls: ControlRuns): Promise<SwitchResult> {
  const startedMs = performance.now();
  const makeWorld = await selftestWorldMaker(options.env, scenario.crashAfterVote === true);
  const result: SwitchResult = {
    name, description: BUG_SWITCHES[name], caught: false, seedsTried: 0, seed: null, caughtBy: [], assertionFirst: null,
    assertionOnly: [], failingWithout: [], runs: 0, wallMs: 0, rerun: null,
    scenario: scenario.why,
  };
  const run = async (seed: number, switches: readonly string[]): Promise<RunReport> => {
    result.runs += 1;
    return runSeed(options, scenario.input, seed, switches, makeWorld);
  };
  for (let offset = 0; offset < options.seeds && !result.caught; offset += 1) {
    const seed = options.baseSeed + offset;
    const seedStartedMs = performance.now();
    result.seedsTried += 1;
    // Against containers an assertion ends the node's process, and nothing says which one fired:
    // there the switch runs with the assertions off from the start.
    const broken = await run(seed, options.env === 'sim' ? [name] : [name, SAFETY_ASSERTIONS_OFF]);
    let found = judgeCatch(broken);
    let assertionFirst: string | null = null;
    let outcome: string;
    if (found.caughtBy.length === 0 && found.assertion !== null) {
      assertionFirst = found.assertion;
      found = judgeCatch(await run(seed, [name, SAFETY_ASSERTIONS_OFF]));
      if (found.caughtBy.length === 0) result.assertionOnly.push(seed);
    }
    if (found.caughtBy.length === 0) {
      outcome = assertionFirst === null ? `not caught (${broken.verdict})` : 'an assertion fired; with assertions off, not caught';
    } else {
      const key = JSON.stringify([scenario.input, scenario.crashAfterVote === true, seed]);
      let controlRun = controls.get(key);
      if (controlRun === undefined) {
        controlRun = run(seed, []);
        controls.set(key, controlRun);
      }
      const control = await controlRun;
      if (control.verdict === 'invalid') {
        const reasons = control.judgement.checks.filter((check) => check.verdict === 'invalid').map((check) => `${check.name}: ${check.message}`);
        result.failingWithout.push({ seed, reasons });
        outcome = `fails without the switch too: ${reasons[0] ?? '?'}`;
      } else {
        result.caught = true;
        result.seed = seed;
        result.caughtBy = found.caughtBy;
        result.assertionFirst = assertionFirst;
        result.rerun = rerunCommand(broken.options) + (scenario.crashAfterVote === true ? ' (and selftest\'s crash-after-vote fault)' : '');
        outcome = `caught by ${found.caughtBy.map((entry) => entry.check).join(', ')}` + (assertionFirst === null ? '' : ' (with the core\'s assertions off)');
      }
    }
    options.onEvent?.({ kind: 'seed', name, seed, tried: result.seedsTried, outcome, wallMs: performance.now() - seedStartedMs });
  }
  result.wallMs = performance.now() - startedMs;
  return result;
}

function runSeed(options: SelftestOptions, input: RunOptionsInput, seed: number, switches: readonly string[], makeWorld: WorldMaker): Promise<RunReport> {
  const nodeConfig: Record<string, string> = { ...(input.nodeConfig ?? {}) };
  if (switches.length > 0) {
    nodeConfig['unsafe.bug.switches'] = switches.join(',');
    nodeConfig['unsafe.bug.switches.enable'] = 'true';
  }
  const runOptions = resolveRunOptions({ ...input, nodeConfig, name: `selftest-${options.env}` }, seed);
  return runOnce({
    options: runOptions, makeWorld, sink: SILENT, runsRoot: options.runsRoot,
    writeDirectory: options.env === 'sim' ? 'never' : 'on-failure',
  });
}
