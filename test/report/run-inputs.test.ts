/**
 * Reading a run directory: a path that is not one gets an error naming why; an incomplete one (a
 * crashed run, a node log never collected, a history cut mid-line) gives what it has and says,
 * sentence by sentence, what is missing.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NotARunDirectoryError, readRunInputs } from '../../src/report/run-inputs.js';
import { writeFixtureRun } from './support/run-directories.js';

const root = mkdtempSync(join(tmpdir(), 'report-inputs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('readRunInputs refuses what is not a run directory', () => {
  it.each([
    ['a path that does not exist', () => join(root, 'nowhere'), /nowhere is not a run directory: it does not exist/],
    ['a file', () => { const file = join(root, 'file.txt'); writeFileSync(file, 'x'); return file; }, /file\.txt is not a run directory: it is a file/],
    ['a folder of runs', () => { const dir = join(root, 'runs'); mkdirSync(join(dir, 'latest'), { recursive: true }); return dir; },
      /runs is not a run directory: it holds none of results\.json, history\.jsonl, summary\.json \(it looks like a folder of runs: try .*runs\/latest\)/],
  ])('%s', async (_, make, message) => {
    const path = make();
    await expect(readRunInputs(path)).rejects.toThrow(NotARunDirectoryError);
    await expect(readRunInputs(path)).rejects.toThrow(message);
  });
});

describe('readRunInputs of an incomplete run', () => {
  it('reads a crashed run: no results.json, a torn last history line, a missing node log', async () => {
    const dir = join(root, 'crashed');
    const fixture = await writeFixtureRun(dir, { withoutResults: true, tornHistory: true, withoutLogsOf: [2] });
    const inputs = await readRunInputs(dir);
    expect(inputs.summary).toBeNull();
    expect(inputs.operations).toHaveLength(fixture.operations.length - 1);
    expect(inputs.nodes.map((node) => [node.id, node.logPath !== null, node.eventsPath !== null]))
      .toEqual([['1', true, true], ['2', false, true], ['3', true, true], ['4', true, true]]);
    // Only the events the page draws are read: each new leader.
    expect(inputs.events).toEqual(fixture.events.filter((event) => event.kind === 'became-leader').sort((a, b) => a.timeNs - b.timeNs));
    expect(inputs.missing).toEqual([
      'results.json is missing: the run did not finish, so there is no verdict or check result.',
      expect.stringMatching(/^history\.jsonl: 1 line could not be read and is left out \(line \d+: /),
      'Node 2 has no log file (nodes/2.log): its log lines are not shown.',
    ]);
  });

  it('says when results.json names a file the directory does not hold', async () => {
    const dir = join(root, 'named-but-absent');
    await writeFixtureRun(dir);
    rmSync(join(dir, 'nodes', '3.events.jsonl'));
    const inputs = await readRunInputs(dir);
    expect(inputs.summary?.verdict).toBe('valid');
    expect(inputs.missing).toEqual([
      'Node 3 has no event log (nodes/3.events.jsonl).',
      'nodes/3.events.jsonl is named in results.json but is not in the run directory.',
    ]);
  });
});
