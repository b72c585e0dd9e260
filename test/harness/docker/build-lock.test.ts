import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { buildLockDir, withBuildLock } from '../../../src/harness/docker/build-lock.js';
import { scratchDir } from '../../../src/harness/docker/project-paths.js';

describe('build locks', () => {
  it('a machine-wide lock lies outside the checkout, where every checkout on the machine finds the same one', () => {
    const machine = buildLockDir('quorumcheck-base', 'machine');
    expect(machine.startsWith(`${os.tmpdir()}${path.sep}`)).toBe(true);
    expect(machine.startsWith(scratchDir)).toBe(false);
    expect(buildLockDir('quorumd-image', 'checkout').startsWith(`${scratchDir}${path.sep}`)).toBe(true);
  });

  it('two builds under one machine-wide lock never overlap', async () => {
    const name = `lock-test-${process.pid}-${Date.now()}`;
    const spans: string[] = [];
    const build = (label: string) => withBuildLock(name, () => {}, async () => {
      spans.push(`${label} start`);
      await sleep(150);
      spans.push(`${label} end`);
      return label;
    }, 'machine');
    expect(await Promise.all([build('a'), build('b')])).toEqual(['a', 'b']);
    expect(spans).toEqual(spans[0] === 'a start' ? ['a start', 'a end', 'b start', 'b end'] : ['b start', 'b end', 'a start', 'a end']);
  });
});
