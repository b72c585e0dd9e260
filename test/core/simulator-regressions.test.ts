/**
 * Seeds on which the simulator once found the core not linearizable, each kept with the rule the
 * fix restored. They replay the exact runs (one seed derives everything), so a regression shows up
 * as the same failure again, with its seed. Where the situation a seed was kept for can be seen
 * from outside the core, the test also asserts that the run still reaches it: a seed that drifted
 * away from its situation would otherwise pass without testing anything.
 */
import { describe, expect, it } from 'vitest';
import { runSeed, replayCommand, type SeedRunOptions } from '../../src/sim/run-seed.js';
import { quorumNodeCore } from '../../src/sim/quorum-node-core.js';
import { staleAnswerProbe } from '../support/stale-answer-probe.js';

const REGRESSIONS: { seed: number; rule: string }[] = [
  { seed: 1460559016, rule: 'a forwarded write is planned once however often the network delivers it' },
  { seed: 4239962762, rule: 'a refused write is answered only after a commit of the leader\'s own epoch' },
  { seed: 2619404762, rule: 'a read round is confirmed only by echoes of the current leader\'s own rounds' },
  { seed: 9000515, rule: 'a refused broker registration does not keep the old incarnation\'s session alive' },
  { seed: 9000220, rule: 'brokers register again after crashes, so topics can be created after healing' },
  { seed: 9000136, rule: 'a request answered "not the leader" is retried after a pause, not bounced at network speed' },
];

/**
 * A restarted node's forward ids start again from 1: in each of these runs the leader's answer to
 * the previous incarnation's forward N reached the new incarnation while its own forward N was
 * open, and was taken as the answer to it (a create answered DUPLICATE_BROKER_REGISTRATION or
 * UNKNOWN_TOPIC_OR_PARTITION although the topic did not exist).
 */
const STALE_FORWARD_ANSWERS: SeedRunOptions[] = [
  { seed: 1728 },
  { seed: 101009, voters: 5, faults: ['crash', 'loss', 'reorder'] },
  { seed: 101984, voters: 5, faults: ['crash', 'loss', 'reorder'] },
];

describe('simulator regressions', () => {
  for (const { seed, rule } of REGRESSIONS) {
    it(`${rule} (seed ${seed})`, async () => {
      const result = await runSeed({ seed });
      expect(result.reasons, `reproduce with: npx quorumcheck sim --seed ${seed}`).toEqual([]);
      expect(result.verdict).toBe('valid');
    });
  }

  for (const options of STALE_FORWARD_ANSWERS) {
    it(`an answer for a node's previous incarnation does not answer its new request of the same forward id (seed ${options.seed})`, async () => {
      const probe = staleAnswerProbe(quorumNodeCore());
      const result = await runSeed({ ...options, makeCore: probe.makeCore });
      const replay = `reproduce with: ${replayCommand(options)}`;
      expect(probe.meetings.get('forward-response') ?? 0, `${replay}: the stale answer no longer meets a reused id`).toBeGreaterThan(0);
      expect(result.reasons, replay).toEqual([]);
      expect(result.verdict).toBe('valid');
    });
  }
});
