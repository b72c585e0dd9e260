/**
 * How metadata rides on the consensus log: each log entry is one batch of records (all the records
 * of one write, so a write is committed and applied atomically, as KRaft's record batches are),
 * and each batch has a digest that nodes compare (ConsistentCommittedData).
 */
import { encodeRecord, Fnv1a64, NO_OP_RECORD, type MetadataRecord } from './metadata/index.js';

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
