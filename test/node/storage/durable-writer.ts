/**
 * A child process for the kill -9 test: recovers the store in argv[2], then forever: moves to the
 * next epoch with a vote (persisted with sync, then reported as `vote <epoch> <votedFor>`), appends
 * a few entries without sync, then a few with sync (reported as `synced <endOffset>`). Reports go
 * to stdout only after the write returned, so whatever was reported must survive a kill -9.
 */
import { MetadataStore } from '../../../src/node/storage/metadata-store.js';
import { testEntries } from './log-entries.js';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: durable-writer.ts DIR');

const { store, recovered } = MetadataStore.open({ metadataLogDir: dir, clusterId: 'KillTestCluster', segmentBytes: 4096, log: () => undefined });
let epoch = recovered?.quorumState?.epoch ?? 0;
const last = recovered?.log[recovered.log.length - 1];
let endOffset = last === undefined ? 0 : last.offset + 1;
process.stdout.write(`ready ${epoch} ${endOffset}\n`);

/** Who this writer "votes for" in an epoch: fixed per epoch, so a changed vote is visible. */
function voteFor(forEpoch: number): number {
  return (forEpoch * 7) % 5;
}

for (;;) {
  epoch++;
  store.persist({ quorumState: { epoch, votedFor: voteFor(epoch), leaderId: null } }, true);
  process.stdout.write(`vote ${epoch} ${voteFor(epoch)}\n`);
  for (let round = 0; round < 5; round++) {
    const sync = round % 2 === 1;
    store.persist({ append: testEntries(endOffset, 3, epoch) }, sync);
    endOffset += 3;
    if (sync) process.stdout.write(`synced ${endOffset}\n`);
  }
}
