/**
 * A writer killed with SIGKILL at random moments (seeded; the seed is printed on failure) must
 * recover everything it reported as synced, and never show a vote in an epoch other than the one
 * it persisted. Real processes, real disk: the page cache survives a kill -9, so this checks the
 * recovery logic (torn frames, partial segments) rather than fsync itself, which the crash
 * consistency test covers by cutting files at every byte.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../src/sim/random.js';
import { MetadataStore } from '../../../src/node/storage/metadata-store.js';
import { testEntries } from './log-entries.js';

const WRITER = new URL('./durable-writer.ts', import.meta.url).pathname;
const ROUNDS = 6;

function voteFor(epoch: number): number {
  return (epoch * 7) % 5;
}

describe('kill -9 of a writer', () => {
  it('never loses a synced record and never changes a vote', async () => {
    const seed = Number(process.env.QUORUMD_KILL_SEED ?? Date.now() % 1_000_000);
    const random = SeededRandom.fromSeed(seed);
    const dir = mkdtempSync(join(tmpdir(), 'quorumd-kill-'));
    const context = `seed ${seed} (reproduce with QUORUMD_KILL_SEED=${seed})`;
    let recoveredEntries = 0;
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const child = execa('node', ['--import', 'tsx', WRITER, dir], { reject: false, buffer: true });
        let output = '';
        await new Promise<void>((resolve, reject) => {
          child.stdout!.on('data', (chunk: Buffer) => {
            const before = output;
            output += chunk.toString();
            if (!before.includes('ready') && output.includes('ready')) {
              setTimeout(resolve, random.intBetween(5, 250));
            }
          });
          child.once('exit', () => reject(new Error(`writer exited early: ${output.slice(-500)}`)));
        });
        child.kill('SIGKILL');
        const result = await child;
        output = result.stdout as string;
        const reported = parseReports(output);
        const { store, recovered } = MetadataStore.open({ metadataLogDir: dir, clusterId: 'KillTestCluster', segmentBytes: 4096, log: () => undefined });
        store.close();
        const log = recovered?.log ?? [];
        const where = `${context}, round ${round}`;
        expect(log.length, `${where}: synced up to ${reported.syncedEnd}`).toBeGreaterThanOrEqual(reported.syncedEnd);
        log.forEach((entry, index) => {
          expect(entry.offset, where).toBe(index);
          expect(entry, where).toEqual(testEntries(entry.offset, 1, entry.epoch)[0]);
        });
        const state = recovered?.quorumState ?? null;
        expect(state?.epoch ?? 0, where).toBeGreaterThanOrEqual(reported.lastVoteEpoch);
        if (state !== null) expect(state.votedFor, where).toBe(voteFor(state.epoch));
        recoveredEntries = log.length;
      }
      // The writer did write between kills (else the checks above prove nothing).
      expect(recoveredEntries, context).toBeGreaterThan(ROUNDS * 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

function parseReports(output: string): { syncedEnd: number; lastVoteEpoch: number } {
  let syncedEnd = 0;
  let lastVoteEpoch = 0;
  for (const line of output.split('\n')) {
    const [kind, first] = line.split(' ');
    if (kind === 'synced') syncedEnd = Number(first);
    if (kind === 'vote') lastVoteEpoch = Number(first);
  }
  return { syncedEnd, lastVoteEpoch };
}
