/**
 * What each system promises of its reads in a read mode, so a run's report can say of an
 * anomaly whether it is expected (the system promises no more) or a bug. The checker judges
 * every history against a linearizable model; a system whose reads are not linearizable is
 * expected to fail it through its reads, never through its writes.
 */

export interface ReadPromise {
  /** Whether the reads of this mode are linearizable (true also when the workload has none). */
  linearizableReads: boolean;
  /** What a history may show without a bug. */
  expected: string;
  /** What would be a bug. */
  bugs: string;
}

const ANY_ANOMALY_IS_A_BUG = 'any history that is not linearizable';

export function readPromise(system: string, readMode: string): ReadPromise {
  if (readMode === 'none') {
    return { linearizableReads: true, expected: 'nothing: the workload has no reads, and the writes are decided by the leader (controller)', bugs: ANY_ANOMALY_IS_A_BUG };
  }
  switch (`${system} ${readMode}`) {
    case 'quorumd controller':
      return { linearizableReads: true, expected: 'nothing: reads are linearizable (a read index from the leader)', bugs: ANY_ANOMALY_IS_A_BUG };
    case 'quorumd any-broker':
      return {
        linearizableReads: false,
        expected: "stale reads: a broker answers from its own copy of the metadata log, which may trail the leader's",
        bugs: 'a write answered in a way no order of the writes explains, or an acknowledged write lost',
      };
    case 'kafka-kraft any-broker':
    case 'kafka-zk any-broker':
      return {
        linearizableReads: false,
        expected: 'stale reads: a broker answers Metadata from its cache, which trails the controller (a topic just created missing on another broker, a deleted one still listed); Kafka promises no more',
        bugs: 'a write answered in a way no order of the writes explains (the controller decides CreateTopics, DeleteTopics, CreatePartitions and AlterConfigs)',
      };
    case 'etcd linearizable':
      return {
        linearizableReads: true,
        expected: "nothing: etcd's key-value operations and its default reads are linearizable (Jepsen found them strict serializable)",
        bugs: ANY_ANOMALY_IS_A_BUG,
      };
    case 'etcd serializable':
      return {
        linearizableReads: false,
        expected: 'stale reads: a serializable read is answered by the member asked, without a quorum, so a member cut off from the leader serves an old value',
        bugs: 'a write or compare-and-set answered in a way no order explains, or a read of a value never written',
      };
    default:
      throw new RangeError(`no read promise is known for ${system} with read mode '${readMode}'`);
  }
}
