import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../src/core/host-interface.js';
import { SeededRandom } from '../../src/sim/random.js';
import { SimDisk } from '../../src/sim/sim-disk.js';

function entries(from: number, to: number, epoch: number): LogEntry<string>[] {
  return Array.from({ length: to - from }, (_, i) => ({ offset: from + i, epoch, record: `r${from + i}` }));
}

describe('SimDisk', () => {
  it('keeps what was synced and loses what was not in a crash', () => {
    const disk = new SimDisk({ tornWrites: false });
    disk.write({ quorumState: { epoch: 1, votedFor: 2, leaderId: null }, append: entries(0, 3, 1) });
    disk.sync();
    disk.write({ quorumState: { epoch: 2, votedFor: 3, leaderId: null }, append: entries(3, 5, 2) });
    disk.crash(SeededRandom.fromSeed(1));
    const recovered = disk.recover();
    expect(recovered.quorumState).toEqual({ epoch: 1, votedFor: 2, leaderId: null });
    expect(recovered.log.map((entry) => entry.offset)).toEqual([0, 1, 2]);
    expect(disk.flushedLog()).toEqual({ endOffset: 3, lastEpoch: 1 });
  });

  it('finds a snapshot\'s boundary and a deletion\'s cut in a log that starts past 0, wherever they fall', () => {
    const disk = new SimDisk({ tornWrites: false });
    disk.write({ snapshot: { endOffset: 10, lastEpoch: 1, state: 's10' }, append: entries(10, 20, 2) });
    disk.write({ deleteBeforeOffset: 4 });
    disk.sync();
    expect(disk.recover().log.map((entry) => entry.offset)).toEqual(entries(10, 20, 2).map((entry) => entry.offset));
    // The log holds offset 14 of epoch 2: a snapshot ending at 15 continues it, and the cut keeps 15..19.
    disk.write({ snapshot: { endOffset: 15, lastEpoch: 2, state: 's15' }, deleteBeforeOffset: 15 });
    disk.sync();
    expect(disk.recover().log.map((entry) => entry.offset)).toEqual([15, 16, 17, 18, 19]);
    expect(disk.flushedLog()).toEqual({ endOffset: 20, lastEpoch: 2 });
    // One of another epoch at the log's end does not: the log goes.
    disk.write({ snapshot: { endOffset: 20, lastEpoch: 3, state: 's20' } });
    disk.sync();
    expect(disk.recover().log).toEqual([]);
    expect(disk.flushedLog()).toEqual({ endOffset: 20, lastEpoch: 3 });
    // A cut past the log's end empties it.
    disk.write({ append: entries(20, 23, 3) });
    disk.write({ deleteBeforeOffset: 30 });
    disk.sync();
    expect(disk.recover().log).toEqual([]);
  });

  it('applies truncation, snapshot and prefix deletion in the host interface order', () => {
    const disk = new SimDisk({ tornWrites: false });
    disk.write({ append: entries(0, 6, 1) });
    disk.write({ truncateToOffset: 4, append: entries(4, 5, 2) });
    disk.write({ snapshot: { endOffset: 3, lastEpoch: 1, state: 's' }, deleteBeforeOffset: 3 });
    disk.sync();
    const recovered = disk.recover();
    expect(recovered.snapshot?.endOffset).toBe(3);
    expect(recovered.log.map((entry) => [entry.offset, entry.epoch])).toEqual([[3, 1], [4, 2]]);
  });

  it('replaces the log with a fetched snapshot that the log does not continue', () => {
    const disk = new SimDisk({ tornWrites: false });
    disk.write({ append: entries(0, 2, 1) });
    disk.write({ snapshot: { endOffset: 10, lastEpoch: 3, state: 'fetched' } });
    disk.sync();
    expect(disk.recover().log).toEqual([]);
    expect(disk.flushedLog()).toEqual({ endOffset: 10, lastEpoch: 3 });
  });

  it('with torn writes keeps a prefix of the unsynced writes, never a gap (seeds 0-49)', () => {
    const survivors = new Set<number>();
    for (let seed = 0; seed < 50; seed += 1) {
      const disk = new SimDisk({ tornWrites: true });
      disk.write({ append: entries(0, 2, 1) });
      disk.sync();
      disk.write({ append: entries(2, 6, 1) });
      disk.write({ append: entries(6, 9, 1) });
      disk.crash(SeededRandom.fromSeed(seed));
      const offsets = disk.recover().log.map((entry) => entry.offset);
      expect(offsets, `seed ${seed}`).toEqual(Array.from({ length: offsets.length }, (_, i) => i));
      survivors.add(offsets.length);
    }
    // Both nothing-survived and everything-survived happen, and cuts in between.
    expect(survivors.has(2)).toBe(true);
    expect(survivors.has(9)).toBe(true);
    expect([...survivors].some((count) => count > 2 && count < 9)).toBe(true);
  });

  it('a disk that lies about fsync loses the quorum state, or just the vote', () => {
    const lying = new SimDisk({ tornWrites: false, lyingFsync: 'quorum-state' });
    lying.write({ quorumState: { epoch: 4, votedFor: 1, leaderId: null } });
    lying.sync();
    expect(lying.recover().quorumState).toBeNull();
    const forgetful = new SimDisk({ tornWrites: false, lyingFsync: 'vote' });
    forgetful.write({ quorumState: { epoch: 4, votedFor: 1, leaderId: null } });
    forgetful.sync();
    expect(forgetful.recover().quorumState).toEqual({ epoch: 4, votedFor: null, leaderId: null });
  });

  it('refuses an append that does not continue the log (a simulator bug)', () => {
    const disk = new SimDisk({ tornWrites: false });
    disk.write({ append: entries(0, 2, 1) });
    disk.write({ append: entries(5, 6, 1) });
    expect(() => disk.sync()).toThrow('append at offset 5 does not continue the log ending at 2');
  });
});
