/**
 * A write forwarded to a leader that is then cut off (the run engineer's seed 5150: leader 3
 * isolated at 8.70 s, writes forwarded to it at 8.66 s and 8.71 s timed out 4.5 s later although
 * a new leader was elected at 10.8 s). Once the forwarding node knows a leader of a later epoch,
 * the old leader's answer may never come: the write is answered `unknown` then, not at its
 * deadline, and it is never sent a second time (the old leader may have appended it, and it may
 * yet commit: a second copy would apply it twice).
 */
import { describe, expect, it } from 'vitest';
import type { PeerEnvelope } from '../../src/core/host-interface.js';
import { okResult } from '../support/client-answers.js';
import { TinyCluster } from '../support/tiny-cluster.js';
import { ledCluster } from '../support/led-cluster.js';

function isolate(cluster: TinyCluster, node: number): void {
  for (const peer of [1, 2, 3].filter((id) => id !== node)) {
    cluster.cut.add(`${node}->${peer}`);
    cluster.cut.add(`${peer}->${node}`);
  }
}

describe('a write forwarded to a leader that was replaced', () => {
  for (const seed of [1, 2, 3]) {
    it(`is answered unknown once a later leader is known, sent once, and the node takes writes again (seed ${seed})`, () => {
      const { cluster, leader, follower } = ledCluster(seed);
      const forwards: PeerEnvelope[] = [];
      cluster.wire = (envelope) => {
        const type = (envelope.message as { type?: string }).type;
        if (envelope.from === follower && type === 'forward-request') forwards.push(envelope);
        return envelope;
      };
      isolate(cluster, leader);
      const requestId = cluster.submit(follower, { type: 'createTopic', name: 'cut-off', numPartitions: 1, replicationFactor: 1 });
      const submittedMs = cluster.nowMs;
      const newLeader = (): number | null => {
        const state = cluster.nodes.get(follower)!.debugState();
        return state.leaderId !== null && state.leaderId !== leader && state.epoch > 0 ? state.leaderId : null;
      };
      expect(cluster.run(submittedMs + 20_000, () => newLeader() !== null), 'a new leader is elected without the isolated one').toBe(true);
      const electedMs = cluster.nowMs;
      // The client timeout is 30 s: before this behaviour the answer came only then.
      cluster.run(electedMs + 50, () => cluster.response(requestId) !== undefined);
      const response = cluster.response(requestId);
      expect(response, `answered within 50 ms of node ${follower} hearing of the new leader`).toBeDefined();
      expect(response).toMatchObject({ outcome: 'unknown', error: { code: 'NOT_CONTROLLER' } });
      expect(forwards.filter((envelope) => envelope.to === leader), 'forwarded once, to the old leader').toHaveLength(1);
      expect(forwards.filter((envelope) => envelope.to !== leader), 'never re-sent to the new leader').toHaveLength(0);

      // The node takes writes again while the old leader is still cut off.
      const next = cluster.submit(follower, { type: 'createTopic', name: 'after', numPartitions: 1, replicationFactor: 1 });
      cluster.run(cluster.nowMs + 5_000, () => cluster.response(next) !== undefined);
      expect(okResult(cluster.response(next))).toMatchObject({ ok: true });
    });
  }
});
