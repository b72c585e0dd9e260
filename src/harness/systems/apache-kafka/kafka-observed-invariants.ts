/**
 * Which Raft invariants Apache Kafka lets us judge from outside, and how; and why not the others.
 * KRaft mode: the controllers' logged state changes (apache-kafka/kraft-log-events.ts) judge
 * SingleLeader, SingleVote and MonotonicEpoch; DescribeQuorum answers polled during the run
 * (kafka/describe-quorum-poll.ts) judge SingleLeader again, from what clients see. ZooKeeper mode
 * has no Raft quorum at all.
 */
import type { ObservedInvariantScope } from '../system-adapter.js';
import { DESCRIBE_QUORUM_RULES } from '../kafka/describe-quorum-poll.js';

const noHighWatermarkEvents = 'Kafka logs no high-watermark advance or flushed offset at INFO, and DescribeQuorum gives the leader\'s high watermark and followers\' fetched (not flushed) offsets, in answers that cannot be ordered finely enough';
const noCommittedRecords = 'Kafka exposes no committed metadata record with its offset and digest on every controller (the __cluster_metadata log is not read from outside)';
const oneClock = 'judged only in the simulator, where every node is on one clock; container logs are stamped by each node';

export const kraftObservedInvariants: ObservedInvariantScope = {
  fromOutput: { how: 'the state changes the controllers log', rules: ['SingleLeader', 'SingleVote', 'MonotonicEpoch'] },
  fromDescribeQuorum: { how: 'DescribeQuorum polled from every broker during the run', rules: DESCRIBE_QUORUM_RULES },
  notJudged: {
    MonotonicHighWatermark: noHighWatermarkEvents,
    MajorityReachedHighWatermark: noHighWatermarkEvents,
    AtMostOneUncommittedVoterSet: 'voter-set records are not logged as they are appended and committed',
    SnapshotAtLogStart: 'snapshots and the log start offset are not reported as they change',
    LeaderNeverLoadSnapshot: 'snapshot loads are not tied to the leader state in what Kafka logs at INFO',
    LeaderCommitsOwnEpoch: noCommittedRecords,
    ConsistentCommittedData: noCommittedRecords,
    NoAcknowledgedWriteLost: 'kafkajs admin calls are acknowledged without the offset of the record they wrote',
    AppliedBeforeAcknowledged: 'kafkajs admin calls are acknowledged without the offset of the record they wrote',
    CheckQuorum: oneClock,
    StableLeadership: oneClock,
  },
};

export const zookeeperModeObservedInvariants: ObservedInvariantScope = {
  notJudged: Object.fromEntries([
    'SingleLeader', 'SingleVote', 'MonotonicEpoch', 'MonotonicHighWatermark', 'MajorityReachedHighWatermark',
    'AtMostOneUncommittedVoterSet', 'SnapshotAtLogStart', 'LeaderNeverLoadSnapshot', 'LeaderCommitsOwnEpoch', 'CheckQuorum',
    'StableLeadership', 'ConsistentCommittedData', 'NoAcknowledgedWriteLost', 'AppliedBeforeAcknowledged',
  ].map((rule) => [rule, 'ZooKeeper mode has no Raft quorum: the controller is elected through ZooKeeper (ZAB), which logs no Raft state'])),
};
