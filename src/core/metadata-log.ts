/**
 * How metadata rides on the consensus log: each log entry is one batch of records (all the records
 * of one write, so a write is committed and applied atomically, as KRaft's record batches are),
 * and each batch has a digest that nodes compare (ConsistentCommittedData).
 */
import { encodeRecord, Fnv1a64, NO_OP_RECORD, type MetadataRecord } from './metadata/index.js';
import type { ControlContent, Voter } from './raft/voter-set.js';

export type MetadataBatch = readonly MetadataRecord[];

/** Entries are immutable and shared (the simulator hands the same batch to every node): digest once. */
const digestByBatch = new WeakMap<MetadataBatch, string>();

export function batchDigest(batch: MetadataBatch): string {
  let digest = digestByBatch.get(batch);
  if (digest === undefined) {
    const hash = new Fnv1a64();
    for (const record of batch) hash.update(encodeRecord(record));
    digest = hash.hex();
    digestByBatch.set(batch, digest);
  }
  return digest;
}

/** The batch a new leader appends first: committing it commits the leader's epoch. */
export const EPOCH_START_BATCH: MetadataBatch = Object.freeze([NO_OP_RECORD]);

/**
 * The raft layer's control records in the metadata log (KIP-853): a batch that starts with a
 * KRaftVersion or Voter record is a control batch, and its Voter records, if any, are a whole
 * voter set. Controllers are listed with PLAINTEXT listeners, the only security protocol served.
 */
export function controlOf(batch: MetadataBatch): ControlContent | undefined {
  const first = batch[0];
  if (first === undefined || (first.type !== 'KRaftVersion' && first.type !== 'Voter')) return undefined;
  const content: ControlContent = {};
  const voters: Voter[] = [];
  for (const record of batch) {
    if (record.type === 'KRaftVersion') content.kraftVersion = record.kraftVersion;
    else if (record.type === 'Voter') {
      voters.push({
        id: record.voterId, directoryId: record.directoryId,
        endpoints: record.endpoints.map(({ name, host, port }) => ({ name, host, port })),
      });
    }
  }
  if (voters.length > 0) content.voters = voters;
  return content;
}

export function controlBatch(content: ControlContent): MetadataBatch {
  const records: MetadataRecord[] = [];
  if (content.kraftVersion !== undefined) records.push({ type: 'KRaftVersion', kraftVersion: content.kraftVersion });
  for (const voter of content.voters ?? []) {
    if (voter.directoryId === null) throw new RangeError(`voter ${voter.id} has no directory id: voter sets in the log need them (kraft.version 1)`);
    records.push({
      type: 'Voter', voterId: voter.id, directoryId: voter.directoryId,
      endpoints: voter.endpoints.map(({ name, host, port }) => ({ name, host, port, securityProtocol: CONTROLLER_SECURITY_PROTOCOL })),
    });
  }
  return Object.freeze(records);
}

const CONTROLLER_SECURITY_PROTOCOL = 'PLAINTEXT';
