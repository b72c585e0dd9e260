/**
 * A node's files travel in one environment variable that the container's command writes out
 * before the entry script runs: contents arrive byte for byte with their modes, files that
 * already exist (a restart) are kept, and files too large for the environment are left to the
 * engine's copy. Run here with the host's sh, as the container's sh runs it.
 */
import { execa } from 'execa';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeNodeFiles, nodeFilesVariable, writeFilesThenEntry } from '../../../src/harness/cluster/node-files-delivery.js';

describe('node files through the environment', () => {
  let directory: string;
  afterEach(async () => {
    if (directory !== undefined) await rm(directory, { recursive: true, force: true });
  });

  async function deliver(value: string): Promise<string> {
    const [shell, ...args] = writeFilesThenEntry(directory, 'printenv');
    const result = await execa(shell!, args, { env: { [nodeFilesVariable]: value, PATH: process.env.PATH ?? '' }, extendEnv: false });
    return String(result.stdout);
  }

  it('writes every file with its content and mode, then runs the entry without the variable', async () => {
    directory = path.join(await mkdtemp(path.join(os.tmpdir(), 'quorumcheck-files-')), 'etc');
    const awkward = "it's $HOME `date`\n\ttabs, \\backslashes\\ and ünïcode\nno final newline";
    const environment = await deliver(encodeNodeFiles([
      { name: 'run.sh', content: '#!/bin/sh\nexec true\n', mode: 0o755 },
      { name: 'server.properties.template', content: awkward },
      { name: 'empty', content: '' },
    ])!);
    expect(await readFile(path.join(directory, 'run.sh'), 'utf8')).toBe('#!/bin/sh\nexec true\n');
    expect((await stat(path.join(directory, 'run.sh'))).mode & 0o777).toBe(0o755);
    expect(await readFile(path.join(directory, 'server.properties.template'), 'utf8')).toBe(awkward);
    expect((await stat(path.join(directory, 'server.properties.template'))).mode & 0o777).toBe(0o644);
    expect(await readFile(path.join(directory, 'empty'), 'utf8')).toBe('');
    expect(environment).not.toContain(nodeFilesVariable);
  });

  it('keeps a file that exists already, as a restarted container must (a clock offset set while it ran)', async () => {
    directory = path.join(await mkdtemp(path.join(os.tmpdir(), 'quorumcheck-files-')), 'etc');
    await deliver(encodeNodeFiles([{ name: 'faketime.rc', content: '+0\n' }])!);
    await writeFile(path.join(directory, 'faketime.rc'), '+60s\n');
    await deliver(encodeNodeFiles([{ name: 'faketime.rc', content: '+0\n' }, { name: 'later', content: 'new' }])!);
    expect(await readFile(path.join(directory, 'faketime.rc'), 'utf8')).toBe('+60s\n');
    expect(await readFile(path.join(directory, 'later'), 'utf8')).toBe('new');
  });

  it('leaves files too large for one environment string to the copy, and refuses names that are not plain', () => {
    expect(encodeNodeFiles([{ name: 'big.mjs', content: 'x'.repeat(100_000) }])).toBeNull();
    expect(() => encodeNodeFiles([{ name: '../escape', content: '' }])).toThrow(/not a plain file name/);
    expect(() => encodeNodeFiles([{ name: 'two words', content: '' }])).toThrow(/not a plain file name/);
  });
});
