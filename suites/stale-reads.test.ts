/**
 * The suite must be able to fail: quorumd with `metadata.read.consistency=cached` answers reads
 * from each broker's own image, so a broker cut off by a partition keeps describing topics as
 * they were, while the majority moves on. A run under partitions must be found not linearizable,
 * and the result must name a stale operation: in at least one topic a read (describe-topic,
 * describe-configs or list-topics) whose answer no order of the history can explain.
 *
 * What makes it reliable: 3 combined nodes (a third of the brokers are cut off whenever a
 * single node is isolated), 10 clients over a handful of topic names so creates, deletes and
 * reads collide, and for the whole time limit partitions that cut one node off from all the others
 * (isolate-one), at 50 operations a second. A stale read needs a write the majority commits while
 * the cut-off broker answers a read about the same topic: a shape that leaves every node a
 * neighbour (majorities-ring, bridge) or cuts the leader off (isolate-leader: the majority commits
 * nothing until it has elected another) gives few, and at the default 20 operations a second a
 * run met only 1 to 15 reads that were stale for certain, so a loaded machine could pass a whole
 * run without one. Measured catch rates: see the case's comment.
 */
import { describe, expect, it } from 'vitest';
import { dockerEngineForTests } from '../test/support/docker-context.js';
import { describeOutcome, leftoversOf, readHistory, runConformanceCase } from './support/conformance-run.js';
import { caseTimeoutMs, conformanceLevel, SMOKE_TOPOLOGY, TOPOLOGIES, topologyName, type Topology } from './support/topologies.js';

const engine = await dockerEngineForTests();
const level = conformanceLevel();
const READS = new Set(['describe-topic', 'describe-configs', 'list-topics']);
/** Long enough for several partitions; the catch rate below was measured with it. */
const timeLimitS = 30;
/** Partitions that cut one node off from every other, and enough traffic on both sides to meet them. */
const PARTITION_SHAPES = ['isolate-one'];
const RATE_OPS_PER_S = 50;
const FIRST_SEED = 2;
/** Seeds a case may take before it counts as missed: each run is about 40 s, and the first usually catches. */
const SEEDS_TO_CATCH = 3;

function runStaleReadCase(label: string, topology: Topology, seed: number): ReturnType<typeof runConformanceCase> {
  return runConformanceCase({
    name: `stale-reads-${label}`, topology, nemesis: ['partition'], partitionShapes: PARTITION_SHAPES, timeLimitS, seed, concurrency: 10,
    rate: RATE_OPS_PER_S, nodeConfig: { 'metadata.read.consistency': 'cached' },
  }, caseTimeoutMs(timeLimitS));
}

describe.skipIf(!engine.available)(`stale reads with metadata.read.consistency=cached (${level})`, () => {
  // 3 and 5 combined nodes: where the catch rate was measured.
  const topologies = level === 'nightly'
    ? TOPOLOGIES.filter((topology) => topology.roles === 'combined' && topology.nodes <= 5)
    : [SMOKE_TOPOLOGY];
  it.each(topologies.map((topology) => ({ topology, label: topologyName(topology) })))(
    '$label under partitions: found not linearizable, the stale read named',
    { timeout: caseTimeoutMs(timeLimitS) * SEEDS_TO_CATCH },
    async ({ topology, label }) => {
      // A container run is not deterministic: the same seed's partitions land at other moments of
      // the clients' traffic, and a run can pass without a read meeting a cut-off broker. With every
      // shape at 20 operations a second, seeds 2-11 were caught 10 of 10 run one at a time (load
      // 7-20) but seeds 2-21 only 18 of 20 run two at a time, as npm test runs its files (load
      // 17-33; and seed 2 was valid in 3 of the 4 fresh-clone CI runs since npm test went two files
      // at a time). With isolate-one at 50 a second, the same pairs caught 20 of 20, with about twice
      // the reads stale for certain (median 11.5 against 5.5). So the case still takes the next seed after a
      // valid run, up to SEEDS_TO_CATCH, and fails if none is caught; a run that is neither caught
      // nor valid fails at once.
      let outcome = await runStaleReadCase(label, topology, FIRST_SEED);
      const pids = [outcome.pid];
      for (let seed = FIRST_SEED + 1; outcome.exitCode === 0 && seed < FIRST_SEED + SEEDS_TO_CATCH; seed += 1) {
        console.log(`stale reads: seed ${seed - 1} was valid (${outcome.runDirectory}); trying seed ${seed}`);
        outcome = await runStaleReadCase(label, topology, seed);
        pids.push(outcome.pid);
      }
      expect(outcome.exitCode, describeOutcome(outcome)).toBe(1);
      const results = outcome.results!;
      expect(results.verdict).toBe('invalid');
      expect(results.checks.find((check) => check.name === 'linearizability')?.verdict, describeOutcome(outcome)).toBe('invalid');
      // Only linearizability fails: the quorum itself (the Raft invariants) is sound.
      expect(results.checks.filter((check) => check.verdict !== 'valid').map((check) => check.name)).toEqual(['linearizability']);
      const failing = results.linearizability?.topics.filter((topic) => topic.verdict === 'invalid') ?? [];
      expect(failing.length).toBeGreaterThan(0);
      const history = await readHistory(outcome.runDirectory!);
      const namedReads: string[] = [];
      for (const topic of failing) {
        const failure = topic.failure!;
        expect(failure.completeIndex, `${failure.call} never completed: a stale answer is one that answered`).not.toBeNull();
        const invoked = history[failure.invokeIndex]!;
        const completed = history[failure.completeIndex!]!;
        // The operation the checker names answered, and its answer is what the checker quotes.
        expect(completed.type).toBe('ok');
        expect(failure.reason.length).toBeGreaterThan(0);
        if (READS.has(String(invoked.f))) namedReads.push(`${failure.call}: ${failure.reason}`);
        console.log(`stale answer named in ${outcome.runDirectory}: ${failure.call} — ${failure.reason}`);
      }
      // The checker names the call where its search got stuck: in a topic where stale reads leave
      // no order for a write's answer, that is the write (seen once: a delete answered
      // UNKNOWN_TOPIC_OR_PARTITION beside a list that had lost the topic). Some topic names a read.
      expect(namedReads.length, failing.map((topic) => topic.failure!.call).join('; ')).toBeGreaterThan(0);
      for (const pid of pids) expect(await leftoversOf(pid)).toEqual([]);
    },
  );
});
