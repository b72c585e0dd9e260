/**
 * How metadata rides on the consensus log: each log entry is one batch of records (all the records
 * of one write, so a write is committed and applied atomically, as KRaft's record batches are),
 * and each batch has a digest that nodes compare (ConsistentCommittedData).
 */
import { encodeRecordRun, Fnv1a64, NO_OP_RECORD, type MetadataRecord } from './metadata/index.js';
import type { ControlContent, Voter } from './raft/voter-set.js';

export type MetadataBatch = readonly MetadataRecord[];

/** Entries are immutable and shared (the simulator hands the same batch to every node): digest once. */
const digestByBatch = new WeakMap<MetadataBatch, string>();

/** FNV-1a 64 over the records' encodings, one after another (the record codec's bytes). */
export function batchDigest(batch: MetadataBatch): string {
  let digest = digestByBatch.get(batch);
  if (digest === undefined) {
    digest = recordsDigest(recordRunOf(batch));
    digestByBatch.set(batch, digest);
  }
  return digest;
}

/**
 * A batch's records encoded once, as a record run: u32 count, then count × (u32 length, the record
 * codec's bytes), big-endian. Kept beside the (immutable, frozen) batch: the digest hashes it, the
 * real host writes it to its log and sends it to followers, and a follower that received a run
 * hands it over with `rememberRecordRun`, so a batch of 20,000 partition changes is encoded once
 * per cluster rather than three times per node.
 */
const runsByBatch = new WeakMap<MetadataBatch, Uint8Array>();

export function recordRunOf(batch: MetadataBatch): Uint8Array {
  let run = runsByBatch.get(batch);
  if (run === undefined) {
    run = encodeRecordRun(batch);
    runsByBatch.set(batch, run);
  }
  return run;
}

/** `run` is the record run of `batch` (decoded from it): `recordRunOf` returns it from now on. */
export function rememberRecordRun(batch: MetadataBatch, run: Uint8Array): void {
  runsByBatch.set(batch, run);
}

/** FNV-1a 64 over each record's bytes in a record run, one after another (not the count or lengths). */
function recordsDigest(run: Uint8Array): string {
  const hash = new Fnv1a64();
  const view = new DataView(run.buffer, run.byteOffset, run.byteLength);
  const count = view.getUint32(0);
  let position = 4;
  for (let i = 0; i < count; i++) {
    const length = view.getUint32(position);
    hash.update(run, position + 4, position + 4 + length);
    position += 4 + length;
  }
  return hash.hex();
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
