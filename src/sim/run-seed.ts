/**
 * Run one seed end to end and judge it: the simulation (invariants after every event, the
 * liveness phase), then "no acknowledged write lost", then linearizability of the client history
 * with the checker's `topics` model. The verdict is `invalid` when anything broke, `unknown` when
 * the linearizability search ran out of budget, `valid` otherwise.
 */
import { checkHistory } from '../checker/check.js';
import { modelByName } from '../checker/models/index.js';
import type { CheckResult, Verdict } from '../checker/verdict.js';
import { describeViolation } from '../checker/invariants/violation.js';
import type { CoreFactory } from './consensus-core.js';
import { quorumNodeCore } from './quorum-node-core.js';
import { resolveRunConfig, type SimRunConfig, type SimRunOptions } from './run-config.js';
import { Simulation, type SimulationHooks, type SimulationOutcome } from './simulation.js';

export interface SeedRunOptions extends SimRunOptions {
  /** Check linearizability of the history (default true). */
  checkLinearizability?: boolean;
  /** Time budget of the linearizability check. */
  linearizabilityTimeLimitMs?: number;
  hooks?: SimulationHooks;
  /** Another core (tests); default: QuorumNode. */
  makeCore?: CoreFactory;
}

export interface SeedResult {
  seed: number;
  verdict: Verdict;
  /** Why the run is not valid, one sentence each (empty when valid). */
  reasons: string[];
  /** Problems that break neither safety nor liveness but deserve a look (a node spinning on its timers). */
  warnings: string[];
  config: SimRunConfig;
  outcome: SimulationOutcome;
  linearizability: CheckResult | null;
  wallMs: number;
}

export async function runSeed(options: SeedRunOptions): Promise<SeedResult> {
  const startedMs = performance.now();
  const config = resolveRunConfig(options);
  const simulation = new Simulation(config, options.makeCore ?? quorumNodeCore(config.core), options.hooks ?? {});
  const outcome = simulation.run();
  const reasons: string[] = [];
  if (outcome.crash !== null) reasons.push(`the run stopped on an exception: ${outcome.crash.split('\n')[0]}`);
  for (const violation of outcome.violations) reasons.push(describeViolation(violation));
  if (outcome.liveness !== null && !outcome.liveness.ok) reasons.push(`liveness: ${outcome.liveness.message}`);
  let linearizability: CheckResult | null = null;
  const topicsModel = modelByName('topics');
  if (reasons.length === 0 && options.checkLinearizability !== false) {
    linearizability = await checkHistory(outcome.history, topicsModel, {
      parallel: false,
      timeLimitMs: options.linearizabilityTimeLimitMs ?? 20_000,
    });
    if (linearizability.verdict === 'invalid') {
      const failing = linearizability.failure;
      reasons.push(`not linearizable (topic ${failing?.partition ?? '?'}): ` +
        `${failing === undefined ? '' : topicsModel.describeCall(failing.failingCall)}` +
        `${failing?.triedStates[0] === undefined ? '' : ` — ${failing.triedStates[0].reason}`}`);
    }
  }
  const verdict: Verdict = reasons.length > 0 ? 'invalid' : linearizability?.verdict === 'unknown' ? 'unknown' : 'valid';
  if (verdict === 'unknown') reasons.push(`linearizability unknown: ${linearizability?.cause ?? 'no cause given'}`);
  const warnings: string[] = [];
  if (outcome.stats.spinningWakes > 0) {
    warnings.push(`nodes asked ${outcome.stats.spinningWakes} times for a tick they had already had ` +
      '(nextWakeMs did not move past the tick): a busy loop on a real host');
  }
  return { seed: options.seed, verdict, reasons, warnings, config, outcome, linearizability, wallMs: performance.now() - startedMs };
}

/** The command that replays a run: the seed plus every option that was pinned rather than drawn. */
export function replayCommand(options: SimRunOptions): string {
  const parts = ['npx quorumcheck sim', `--seed ${options.seed}`];
  if (options.voters !== undefined) parts.push(`--nodes ${options.voters}`);
  if (options.observers !== undefined) parts.push(`--observers ${options.observers}`);
  if (options.faults !== undefined) parts.push(`--faults ${options.faults.length === 0 ? 'none' : options.faults.join(',')}`);
  if (options.safetyPhaseMs !== undefined) parts.push(`--duration ${options.safetyPhaseMs / 1000}`);
  return parts.join(' ');
}
