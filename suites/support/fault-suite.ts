/**
 * The shape every fault-family suite shares: for each topology of the level's matrix, one
 * `quorumcheck run --env docker` with the family's faults, which must be valid (every check),
 * must have applied the family's faults, and must leave nothing running.
 */
import { describe, expect, it } from 'vitest';
import { dockerEngineForTests } from '../../test/support/docker-context.js';
import { describeOutcome, leftoversOf, readHistory, runConformanceCase } from './conformance-run.js';
import {
  caseTimeoutMs, conformanceLevel, SMOKE_TOPOLOGY, timeLimitS, TOPOLOGIES, topologyName, type Topology,
} from './topologies.js';

export interface FaultFamily {
  /** The suite's name and its cases' folder prefix. */
  name: string;
  /** `--nemesis` of the nightly cases. */
  nemesis: readonly string[];
  /** `--nemesis` of the smoke case (CI), or null when the family has no smoke case. */
  smokeNemesis: readonly string[] | null;
  /** Nemesis actions (history `f` prefixes after start-) one of which must have been applied. */
  expectedActions: readonly string[];
  concurrency?: number;
  faultLines?: number;
}

/** Seeds are fixed per case, so a failing nightly case repeats with the command it prints. */
const baseSeed = Number(process.env.QUORUMCHECK_CONFORMANCE_SEED ?? 20_261_201);

export async function defineFaultSuite(family: FaultFamily): Promise<void> {
  const engine = await dockerEngineForTests();
  const level = conformanceLevel();
  const cases: { topology: Topology; nemesis: readonly string[] }[] = level === 'nightly'
    ? TOPOLOGIES.map((topology) => ({ topology, nemesis: family.nemesis }))
    : family.smokeNemesis === null ? [] : [{ topology: SMOKE_TOPOLOGY, nemesis: family.smokeNemesis }];
  const limitS = timeLimitS(level);
  describe.skipIf(!engine.available || cases.length === 0)(`${family.name} (${level})`, () => {
    it.each(cases.map((entry, index) => ({ ...entry, seed: baseSeed + index, label: topologyName(entry.topology), faults: entry.nemesis.join(',') })))(
      '$label, $faults for the time limit, then healed: every check valid, nothing left running',
      { timeout: caseTimeoutMs(limitS) },
      async ({ topology, nemesis, seed, label }) => {
        const outcome = await runConformanceCase({
          name: `${family.name}-${label}`, topology, nemesis, timeLimitS: limitS, seed,
          concurrency: family.concurrency ?? 10,
          ...(family.faultLines === undefined ? {} : { extraArgs: ['--fault-lines', String(family.faultLines)] }),
        }, caseTimeoutMs(limitS));
        expect(outcome.exitCode, describeOutcome(outcome)).toBe(0);
        expect(outcome.results?.verdict, describeOutcome(outcome)).toBe('valid');
        const history = await readHistory(outcome.runDirectory as string);
        const applied = history.filter((op) => op.process === 'nemesis' && typeof op.f === 'string' && op.f.startsWith('start-'));
        expect(applied.some((op) => family.expectedActions.some((action) => op.f === `start-${action}`)),
          `no ${family.expectedActions.join('/')} fault was applied in ${outcome.runDirectory}`).toBe(true);
        expect(history.filter((op) => op.type === 'ok' && op.process !== 'nemesis').length, 'no client operation succeeded').toBeGreaterThan(0);
        expect(await leftoversOf(outcome.pid)).toEqual([]);
      },
    );
  });
}
