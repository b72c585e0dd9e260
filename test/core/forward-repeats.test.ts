/**
 * The leader's de-duplication of forwarded requests (RequestForwarding.isRepeat): a repeat of a
 * request it planned is dropped whether it still leads or not, since refusing it after
 * leadership was lost would tell the asker that nothing was done (CI sweep seed 508450).
 */
import { describe, expect, it } from 'vitest';
import type { ForwardRequest, ForwardResponse, VoterChangeQuery } from '../../src/core/forwarding.js';
import type { PeerEnvelope } from '../../src/core/host-interface.js';
import { Outbox } from '../../src/core/raft/outbox.js';
import { FORWARDS_SEEN_MAX, RequestForwarding } from '../../src/core/request-forwarding.js';
import { TinyCluster } from '../support/tiny-cluster.js';
import { ledCluster } from '../support/led-cluster.js';

function forwardRequest(forwardId: number, incarnationId = 'asker-1'): ForwardRequest {
  return { type: 'forward-request', clusterId: 'c', epoch: 3, incarnationId, forwardId, operation: { type: 'deleteTopic', name: 'beta' } };
}

function voterChangeQuery(queryId: number, incarnationId = 'asker-1'): VoterChangeQuery {
  return { type: 'voter-change-query', clusterId: 'c', epoch: 3, incarnationId, queryId, change: { type: 'remove', id: 3, directoryId: 'd3' } };
}

describe('forwarded requests are planned once', () => {
  it('a repeat of a planned request is a repeat while leading and after leadership was lost', () => {
    const forwarding = new RequestForwarding('c', 'leader-1', new Outbox(2));
    expect(forwarding.isRepeat(4, forwardRequest(14), true)).toBe(false);
    expect(forwarding.isRepeat(4, forwardRequest(14), true)).toBe(true);
    // No longer the active controller: still a repeat, not a request to refuse.
    expect(forwarding.isRepeat(4, forwardRequest(14), false)).toBe(true);
  });

  it('a request never planned here is no repeat, and is not remembered when refused', () => {
    const forwarding = new RequestForwarding('c', 'leader-1', new Outbox(2));
    expect(forwarding.isRepeat(4, forwardRequest(15), false)).toBe(false);
    expect(forwarding.isRepeat(4, forwardRequest(15), false)).toBe(false);
    expect(forwarding.isRepeat(4, forwardRequest(15), true)).toBe(false);
  });

  it('the same forward id from another node or another incarnation is another request', () => {
    const forwarding = new RequestForwarding('c', 'leader-1', new Outbox(2));
    expect(forwarding.isRepeat(4, forwardRequest(14), true)).toBe(false);
    expect(forwarding.isRepeat(5, forwardRequest(14), true)).toBe(false);
    expect(forwarding.isRepeat(4, forwardRequest(14, 'asker-2'), true)).toBe(false);
  });

  it('a voter-change query and a forward with the same id from one incarnation are two requests', () => {
    const forwarding = new RequestForwarding('c', 'leader-1', new Outbox(2));
    expect(forwarding.isRepeat(4, voterChangeQuery(14), true)).toBe(false);
    expect(forwarding.isRepeat(4, forwardRequest(14), true)).toBe(false);
    expect(forwarding.isRepeat(4, voterChangeQuery(14), false)).toBe(true);
    expect(forwarding.isRepeat(4, forwardRequest(14), false)).toBe(true);
  });

  it(`remembers the last ${FORWARDS_SEEN_MAX} planned requests, of every asker, and forgets the oldest first`, () => {
    const forwarding = new RequestForwarding('c', 'leader-1', new Outbox(2));
    // Three askers take turns, the first with two incarnations: each is forgotten entry by entry.
    const askers: [number, string][] = [[4, 'asker-1'], [5, 'asker-5'], [4, 'asker-1b']];
    const planned = FORWARDS_SEEN_MAX + 5_000;
    const nth = (n: number): [number, ForwardRequest] => {
      const [from, incarnation] = askers[n % askers.length]!;
      return [from, forwardRequest(n, incarnation)];
    };
    let repeats = 0;
    for (let n = 0; n < planned; n++) if (forwarding.isRepeat(...nth(n), true)) repeats += 1;
    expect(repeats, 'each was planned once').toBe(0);
    const forgotten = planned - FORWARDS_SEEN_MAX;
    for (const n of [0, 1, 2, forgotten - 1]) expect(forwarding.isRepeat(...nth(n), false), `request ${n} is forgotten`).toBe(false);
    for (const n of [forgotten, forgotten + 1, forgotten + 2, planned - 1]) expect(forwarding.isRepeat(...nth(n), false), `request ${n} is remembered`).toBe(true);
  });

  it('an asker whose planned requests were all forgotten is remembered again from its next one', () => {
    const forwarding = new RequestForwarding('c', 'leader-1', new Outbox(2));
    expect(forwarding.isRepeat(9, forwardRequest(1, 'gone'), true)).toBe(false);
    for (let n = 0; n < FORWARDS_SEEN_MAX; n++) forwarding.isRepeat(4, forwardRequest(n), true);
    expect(forwarding.isRepeat(9, forwardRequest(1, 'gone'), false), 'forgotten').toBe(false);
    expect(forwarding.isRepeat(9, forwardRequest(2, 'gone'), true)).toBe(false);
    expect(forwarding.isRepeat(9, forwardRequest(2, 'gone'), false)).toBe(true);
    expect(forwarding.isRepeat(9, forwardRequest(1, 'gone'), false), 'still forgotten').toBe(false);
  });
});

interface SeenForwardResponse {
  from: number;
  outcome: string;
}

/** Copies of `asker`'s forwards of `topic`, and the forward answers `asker` is sent. */
function watchForwards(cluster: TinyCluster, asker: number, topic: string): { copies: PeerEnvelope[]; answers: SeenForwardResponse[] } {
  const copies: PeerEnvelope[] = [];
  const answers: SeenForwardResponse[] = [];
  cluster.wire = (envelope) => {
    const message = envelope.message as ForwardRequest | ForwardResponse | { type?: undefined };
    if (message.type === 'forward-request' && envelope.from === asker && (message.operation as { name?: string }).name === topic) copies.push(envelope);
    if (message.type === 'forward-response' && envelope.to === asker) answers.push({ from: envelope.from, outcome: message.outcome });
    return envelope;
  };
  return { copies, answers };
}

describe('a forward delivered again to its leader after the leader restarted in the same epoch', () => {
  for (const seed of [1, 2, 3]) {
    it(`is answered unknown, not not-controller, so the write is not tried again and applied twice (seed ${seed})`, () => {
      const { cluster, leader, follower: asker, other } = ledCluster(seed);
      const { epoch } = cluster.nodes.get(leader)!.debugState();
      const { copies, answers } = watchForwards(cluster, asker, 'twice');
      // The asker hears nothing from the leader: the first copy's answer never reaches it.
      cluster.cut.add(`${leader}->${asker}`);
      const requestId = cluster.submit(asker, { type: 'createTopic', name: 'twice', numPartitions: 1, replicationFactor: 1 });
      const committed = (): boolean => cluster.nodes.get(other)!.committedImage.topic('twice') !== undefined;
      expect(cluster.run(cluster.nowMs + 1_000, committed), 'the leader commits the first copy with the other follower').toBe(true);
      expect(copies, 'the asker forwarded the create once').toHaveLength(1);

      // Killed and restarted: the leader's memory of what it planned is gone, its log is not.
      cluster.crash(leader);
      cluster.start(leader, true);
      cluster.cut.clear();
      answers.length = 0; // the first copy's ok answer was sent on the cut link
      expect(cluster.nodes.get(leader)!.debugState()).toMatchObject({ epoch, state: 'resigned' });
      expect(cluster.nodes.get(asker)!.debugState(), 'the asker still takes it for the leader of its epoch').toMatchObject({ epoch, leaderId: leader });
      // The network delivers the first copy again.
      cluster.act(leader, (node) => node.receive(copies[0]!, cluster.nowMs));

      cluster.run(cluster.nowMs + 20_000, () => cluster.response(requestId) !== undefined);
      expect(answers.filter((answer) => answer.from === leader), 'the restarted leader cannot tell whether it planned the copy').toEqual([
        { from: leader, outcome: 'unknown' },
      ]);
      expect(cluster.response(requestId), 'the create may have taken effect (it did)').toMatchObject({ outcome: 'unknown', error: { code: 'NOT_CONTROLLER' } });
      expect(copies, 'never tried again (a retry would be answered TOPIC_ALREADY_EXISTS by its own first copy)').toHaveLength(1);
    });
  }

  it('a leader that lost leadership but did not restart still refuses a forward it never planned as not-controller (nothing was done)', () => {
    const { cluster, leader, follower: asker } = ledCluster(1);
    const { epoch } = cluster.nodes.get(leader)!.debugState();
    const { answers } = watchForwards(cluster, asker, 'never-planned');
    cluster.act(leader, (node) => node.shutdown(cluster.nowMs));
    expect(cluster.nodes.get(leader)!.debugState()).toMatchObject({ epoch, state: 'resigned' });
    const request: ForwardRequest = {
      type: 'forward-request', clusterId: 'tiny', epoch, incarnationId: 'asker-incarnation', forwardId: 1,
      operation: { type: 'createTopic', name: 'never-planned', numPartitions: 1, replicationFactor: 1 },
    };
    cluster.act(leader, (node) => node.receive({ from: asker, to: leader, message: request }, cluster.nowMs));
    cluster.run(cluster.nowMs + 10);
    expect(answers).toEqual([{ from: leader, outcome: 'not-controller' }]);
  });
});
