/**
 * Node events read from a KRaft controller's log: the state changes Kafka 4 logs, turned into
 * the event stream the Raft invariants judge (lines taken from a real Kafka 4.4.0 controller).
 */
import { describe, expect, it } from 'vitest';
import { kraftEventsFromLog } from '../../../src/harness/systems/apache-kafka/kraft-log-events.js';
import { InvariantChecker } from '../../../src/checker/invariants/invariant-checker.js';

const log = [
  '[2026-12-01 16:45:41,413] INFO [RaftManager id=2] Completed transition to UnattachedState(epoch=0, leaderId=OptionalInt.empty, votedKey=Optional.empty, voters=[1, 2, 3], electionTimeoutMs=1078, highWatermark=Optional.empty) from null (org.apache.kafka.raft.QuorumState)',
  '[2026-12-01 16:45:42,703] INFO [RaftManager id=2] Completed transition to UnattachedState(epoch=1, leaderId=OptionalInt.empty, votedKey=Optional[ReplicaKey(id=1, directoryId=9apFQNB5JpW1VtWHpKJiWw)], voters=[1, 2, 3], electionTimeoutMs=1491, highWatermark=Optional.empty) from UnattachedState(epoch=0, leaderId=OptionalInt.empty) (org.apache.kafka.raft.QuorumState)',
  '[2026-12-01 16:45:43,644] INFO [RaftManager id=2] Completed transition to FollowerState(fetchTimeoutMs=2000, epoch=1, leader=1, leaderEndpoints=Endpoints(endpoints={ListenerName(CONTROLLER)=node1/<unresolved>:9093}), votedKey=Optional[ReplicaKey(id=1, directoryId=9apFQNB5JpW1VtWHpKJiWw)], voters=[1, 2, 3], highWatermark=Optional.empty, fetchingSnapshot=Optional.empty) from UnattachedState(epoch=1, leaderId=OptionalInt.empty) (org.apache.kafka.raft.QuorumState)',
  '[2026-12-01 16:45:50,001] INFO [Broker id=2] something else entirely (kafka.server.BrokerServer)',
  '[2026-12-01 16:46:10,100] INFO [RaftManager id=2] Completed transition to UnattachedState(epoch=1, leaderId=OptionalInt[1], votedKey=Optional[ReplicaKey(id=1, directoryId=9apFQNB5JpW1VtWHpKJiWw)], voters=[1, 2, 3], electionTimeoutMs=0, highWatermark=Optional.empty) from null (org.apache.kafka.raft.QuorumState)',
  '[2026-12-01 16:46:12,000] INFO [RaftManager id=2] Completed transition to CandidateState(localId=2, localDirectoryId=x, epoch=2, epochElection=EpochElection[voterStates={}], highWatermark=Optional.empty, electionTimeoutMs=1500) from ProspectiveState(epoch=1) (org.apache.kafka.raft.QuorumState)',
  '[2026-12-01 16:46:12,500] INFO [RaftManager id=2] Completed transition to Leader(localVoterNode=VoterNode(voterKey=ReplicaKey(id=2, directoryId=x), listeners=Endpoints(endpoints={}), supportedKRaftVersion=SupportedVersionRange[min_version:0, max_version:1]), epoch=2, epochStartOffset=40, highWatermark=Optional.empty) from CandidateState(localId=2, epoch=2) (org.apache.kafka.raft.QuorumState)',
].join('\n');

describe('KRaft log events', () => {
  it('reads state, epoch, leader and vote from each transition, a restart from a transition out of null', () => {
    const events = kraftEventsFromLog(2, log);
    expect(events.map((event) => [event.kind, event.epoch, event.state ?? '', event.leaderId ?? null, event.votedFor ?? null])).toEqual([
      ['epoch-changed', 0, 'unattached', null, null],
      ['epoch-changed', 1, 'unattached', null, 1],
      ['vote-granted', 1, '', null, 1],
      ['epoch-changed', 1, 'follower', 1, 1],
      ['restarted', 1, '', null, null],
      ['epoch-changed', 1, 'unattached', 1, 1],
      ['epoch-changed', 2, 'candidate', null, 2],
      ['epoch-changed', 2, 'leader', 2, 2],
      ['became-leader', 2, '', 2, null],
    ]);
    expect(events[0]!.timeNs).toBe(Date.parse('2026-12-01T16:45:41.413Z') * 1_000_000);
    expect(kraftEventsFromLog(3, log)).toEqual([]);
  });

  it('makes a stream the invariant checker judges, and catches two leaders in one epoch', () => {
    const checker = new InvariantChecker({ voters: [1, 2, 3] });
    for (const event of kraftEventsFromLog(2, log)) expect(checker.observe(event)).toEqual([]);
    const second = log.split('\n').at(-1)!.replaceAll('id=2', 'id=3');
    expect(checker.observe(kraftEventsFromLog(3, second).find((event) => event.kind === 'became-leader')!).map((violation) => violation.rule)).toContain('SingleLeader');
  });
});
