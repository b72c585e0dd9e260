/**
 * Seeds on which the simulator once found the core not linearizable, each kept with the rule the
 * fix restored. They replay the exact runs (one seed derives everything), so a regression shows up
 * as the same failure again, with its seed.
 */
import { describe, expect, it } from 'vitest';
import { runSeed } from '../../src/sim/run-seed.js';

const REGRESSIONS: { seed: number; rule: string }[] = [
  { seed: 1460559016, rule: 'a forwarded write is planned once however often the network delivers it' },
  { seed: 4239962762, rule: 'a refused write is answered only after a commit of the leader\'s own epoch' },
  { seed: 2619404762, rule: 'a read round is confirmed only by echoes of the current leader\'s own rounds' },
  { seed: 9000515, rule: 'a refused broker registration does not keep the old incarnation\'s session alive' },
  { seed: 9000220, rule: 'brokers register again after crashes, so topics can be created after healing' },
  { seed: 9000136, rule: 'a request answered "not the leader" is retried after a pause, not bounced at network speed' },
];

describe('simulator regressions', () => {
  for (const { seed, rule } of REGRESSIONS) {
    it(`${rule} (seed ${seed})`, async () => {
      const result = await runSeed({ seed });
      expect(result.reasons, `reproduce with: npx quorumcheck sim --seed ${seed}`).toEqual([]);
      expect(result.verdict).toBe('valid');
    });
  }
});
