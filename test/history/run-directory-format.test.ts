/**
 * The run directory on a real disk: a complete one reads back as written, a crashed one (files
 * missing, one cut short) reads back with each problem named, and runs/latest follows the newest.
 */
import { mkdtemp, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createRunDirectory, linkLatest, readRunDirectory, RUN_DIRECTORY_FORMAT_VERSION, writeHistoryFile, writeNodeEventsFile,
  writeNodeLogFile, writeResultsFile, writeScheduleFile, type RunResults,
} from '../../src/history/run-directory-format.js';
import type { Operation } from '../../src/history/operation.js';

let root: string;
beforeEach(async () => { root = await mkdtemp(join(tmpdir(), 'quorumcheck-rundir-')); });
afterEach(async () => { await rm(root, { recursive: true, force: true }); });

const HISTORY: Operation[] = [
  { index: 0, type: 'invoke', process: 0, f: 'create-topic', value: { name: 'a', partitions: 1 }, timeNs: 1_000_000 },
  { index: 1, type: 'ok', process: 0, f: 'create-topic', value: { created: true }, timeNs: 2_000_000, node: 1 },
];

function results(directory: string): RunResults {
  return {
    formatVersion: RUN_DIRECTORY_FORMAT_VERSION, name: 'sim', env: 'sim', system: 'quorumd', systemVersion: '0.1.0', seed: 7,
    command: `npx quorumcheck reproduce ${directory}`, rerun: 'npx quorumcheck run --env sim --seed 7', options: {},
    startedAt: '2026-11-26T16:30:05.123Z', endedAt: '2026-11-26T16:30:06.000Z', durationMs: 877, verdict: 'valid',
    checks: [{ name: 'linearizability', verdict: 'valid', message: '1 call' }], linearizability: null,
    figures: { operations: 1, ok: 1, fail: 0, info: 0, opsPerSecond: 1, recoveryMs: 12, checkerMs: 1, nemesisActions: 0, runMs: 1000 },
    nodes: [{ id: 1, roles: ['broker', 'controller'], log: 'nodes/1.log', events: 'nodes/1.events.jsonl' }], missing: [],
  };
}

describe('run directory format', () => {
  it('writes runs/<name>/<timestamp>/ and reads it back whole', async () => {
    const directory = await createRunDirectory(root, 'sim', new Date('2026-11-26T16:30:05.123Z'));
    expect(directory).toBe(join(root, 'sim', '2026-11-26T16-30-05-123Z'));
    await writeHistoryFile(directory, HISTORY);
    await writeScheduleFile(directory, { seed: 7, entries: [] });
    await writeNodeEventsFile(directory, 1, [{ timeNs: 5, node: 1, kind: 'became-leader', epoch: 1 }]);
    await writeNodeLogFile(directory, 1, 'line\n');
    await writeResultsFile(directory, results(directory));
    const read = await readRunDirectory(directory);
    expect(read.missing).toEqual([]);
    expect(read.history).toEqual(HISTORY);
    expect(read.results?.seed).toBe(7);
    expect(read.schedule).toEqual({ seed: 7, entries: [] });
    expect(read.nodeEvents.get(1)).toContain('became-leader');
    expect(read.nodeLogs.get(1)).toBe('nodes/1.log');
    // Two runs in the same millisecond get distinct directories.
    expect(await createRunDirectory(root, 'sim', new Date('2026-11-26T16:30:05.123Z'))).toBe(`${directory}-2`);
    await expect(createRunDirectory(root, '../escape', new Date())).rejects.toThrow("run name '../escape' must be letters");
  });

  it('writes an event stamped after the fact with timeNs and node first, as quorumd writes its event log', async () => {
    // The simulator stamps the core's events in place (sim-node.ts): the stamp's keys come last on the object.
    const stamped = Object.assign({ kind: 'committed', epoch: 2, offset: 7, recordEpoch: 2, digest: 'ab' } as const, { timeNs: 9, node: 3 });
    const directory = await createRunDirectory(root, 'sim', new Date('2026-11-26T16:30:05.123Z'));
    const file = await writeNodeEventsFile(directory, 3, [stamped]);
    expect(await readFile(join(directory, file), 'utf8'))
      .toBe('{"timeNs":9,"node":3,"kind":"committed","epoch":2,"offset":7,"recordEpoch":2,"digest":"ab"}\n');
  });

  it('reads a crashed run, naming what is missing or broken', async () => {
    const directory = await createRunDirectory(root, 'docker', new Date('2026-11-26T17:00:00.000Z'));
    await writeFile(join(directory, 'history.jsonl'), `${JSON.stringify({ index: 0, type: 'invoke', process: 0, f: 'x', value: null, timeNs: 1 })}\n{"index": 1, "ty`);
    const read = await readRunDirectory(directory);
    expect(read.results).toBeNull();
    expect(read.history).toBeNull();
    expect(read.missing).toEqual([
      'results.json is missing: the run ended before writing it',
      expect.stringMatching(/^history\.jsonl is unreadable: /),
      'schedule.json is missing: the run ended before writing it',
    ]);
    await writeResultsFile(directory, { ...results(directory), missing: ['node 2: its container was gone'] });
    const again = await readRunDirectory(directory);
    expect(again.missing).toContain('node 2: its container was gone');
    expect(again.missing).toContain('nodes/1.events.jsonl is missing (results.json lists it)');
  });

  it('runs/latest points at the newest run, replaced atomically', async () => {
    const first = await createRunDirectory(root, 'sim', new Date('2026-11-26T16:00:00.000Z'));
    const second = await createRunDirectory(root, 'sim', new Date('2026-11-26T16:01:00.000Z'));
    expect(await linkLatest(root, first)).toBeNull();
    expect(await linkLatest(root, second)).toBeNull();
    expect(await readlink(join(root, 'latest'))).toBe(join('sim', '2026-11-26T16-01-00-000Z'));
    expect((await readRunDirectory(join(root, 'latest'))).missing).toContain('results.json is missing: the run ended before writing it');
  });
});
