/**
 * The host's group commit: a burst of client writes on a single-voter node shares fsyncs, and
 * nothing leaves the host (a peer message, a client answer, a recorded event) while a write it
 * follows is not yet durable. Real core, real store on a tmp dir; the store is wrapped only to
 * watch the order of its calls.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PersistActions } from '../../../src/core/host-interface.js';
import type { MetadataBatch } from '../../../src/core/metadata-log.js';
import { QuorumNode } from '../../../src/core/quorum-node.js';
import { EventLogFile } from '../../../src/node/event-log-file.js';
import { MonotonicClock } from '../../../src/node/monotonic-clock.js';
import { memoryNodeLogger } from '../../../src/node/node-logger.js';
import { QuorumHost } from '../../../src/node/quorum-host.js';
import { MetadataStore } from '../../../src/node/storage/metadata-store.js';
import { SeededRandom } from '../../../src/sim/random.js';
import { waitFor } from '../support/wait-for.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Follows the store's writes: `unsynced` is true between an append and the fsync covering it. */
class WatchedStore {
  unsynced = false;
  appendsWithoutSync = 0;
  syncs = 0;
  leakedWhileUnsynced: string[] = [];

  constructor(private readonly store: MetadataStore) {}

  persist(actions: PersistActions<MetadataBatch>, mustSync: boolean): void {
    this.store.persist(actions, mustSync);
    if ((actions.append?.length ?? 0) > 0) {
      this.unsynced = !mustSync;
      if (!mustSync) this.appendsWithoutSync++;
    }
  }

  sync(): void {
    this.store.sync();
    this.syncs++;
    this.unsynced = false;
  }

  close(): void {
    this.store.close();
  }

  observe(what: string): void {
    if (this.unsynced) this.leakedWhileUnsynced.push(what);
  }
}

describe('QuorumHost group commit', () => {
  it('answers a burst of writes after fewer fsyncs than writes, never before its fsync', async () => {
    const seed = Number(process.env.QUORUMD_TEST_SEED ?? Date.now() % 1_000_000);
    const dir = mkdtempSync(join(tmpdir(), 'quorumd-group-commit-'));
    dirs.push(dir);
    const { store } = MetadataStore.open({ metadataLogDir: dir, clusterId: 'GroupCommit', segmentBytes: 1 << 20, log: () => undefined });
    const watched = new WatchedStore(store);
    const clock = new MonotonicClock();
    const random = SeededRandom.fromSeed(seed);
    const core = new QuorumNode({
      config: { nodeId: 1, voters: [1], clusterId: 'GroupCommit', electionTimeoutMs: 50, electionBackoffMaxMs: 10 },
      recovered: null, random, nowMs: clock.nowMs(),
    });
    const eventLog = new EventLogFile(join(dir, 'events.jsonl'), 1);
    const originalAppend = eventLog.append.bind(eventLog);
    eventLog.append = (events, timeNs) => {
      watched.observe(`events ${events.map((event) => event.kind).join(',')}`);
      originalAppend(events, timeNs);
    };
    const host = new QuorumHost({
      core, store: watched as unknown as MetadataStore, clock, eventLog, logger: memoryNodeLogger(),
      onFatal: (error) => { throw error; },
    });
    host.start({ send: (envelope) => { watched.observe(`message to ${envelope.to}`); return true; } });
    try {
      await waitFor(`a leader (seed ${seed})`, () => host.debugState().state === 'leader', 10_000);
      const syncsBefore = watched.syncs;
      const writes = 40;
      const responses = await Promise.all(Array.from({ length: writes }, (_, index) =>
        host.submit({ type: 'registerBroker', brokerId: 100 + index, incarnationId: `i${index}`, endpoints: [] }).then((response) => {
          watched.observe(`answer to broker ${100 + index}`);
          return response;
        })));
      const context = `seed ${seed} (reproduce with QUORUMD_TEST_SEED=${seed})`;
      expect(responses.map((response) => response.outcome), context).toEqual(Array(writes).fill('ok'));
      expect(watched.leakedWhileUnsynced, context).toEqual([]);
      // The appends really were written without their own fsync, then covered by shared ones.
      expect(watched.appendsWithoutSync, context).toBeGreaterThan(0);
      expect(watched.syncs - syncsBefore, context).toBeGreaterThan(0);
      expect(watched.syncs - syncsBefore, context).toBeLessThan(writes);
      // What was answered is on disk.
      host.stop();
      watched.close();
      const reopened = MetadataStore.open({ metadataLogDir: dir, clusterId: 'GroupCommit', segmentBytes: 1 << 20, log: () => undefined });
      reopened.store.close();
      const registered = reopened.recovered!.log.flatMap((entry) => entry.record).filter((record) => record.type === 'RegisterBroker' && record.brokerId >= 100);
      expect(registered.length, context).toBe(writes);
      expect(readFileSync(join(dir, 'events.jsonl'), 'utf8')).toMatch(/"kind":"became-leader"/);
    } finally {
      host.stop();
      eventLog.close();
    }
  }, 30_000);
});
