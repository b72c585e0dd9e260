import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mountsBeneath, removeRootDir } from '../../../src/harness/docker/root-dir-removal.js';

const isRoot = process.getuid?.() === 0;

describe('removing a debootstrap root left by a killed build', () => {
  // A real proc mount inside the folder, as debootstrap leaves one when it is killed while it configures packages.
  it.runIf(isRoot)('unmounts what is mounted beneath it, then removes it', async () => {
    const rootDir = await mkdtemp(path.join(os.tmpdir(), 'quorumcheck-rootfs-test-'));
    const procDir = path.join(rootDir, 'proc');
    await mkdir(procDir);
    await execa('mount', ['-t', 'proc', 'proc', procDir]);
    try {
      expect(await mountsBeneath(rootDir)).toEqual([procDir]);
      await expect(rm(rootDir, { recursive: true, force: true })).rejects.toThrow(/EBUSY|EPERM|EACCES/);
      await removeRootDir(rootDir);
      expect(existsSync(rootDir)).toBe(false);
      expect(await mountsBeneath(rootDir)).toEqual([]);
    } finally {
      await execa('umount', ['--lazy', procDir], { reject: false });
      await rm(rootDir, { recursive: true, force: true });
    }
  });

  it('finds nothing mounted beneath a plain folder and removes it', async () => {
    const rootDir = await mkdtemp(path.join(os.tmpdir(), 'quorumcheck-rootfs-test-'));
    await mkdir(path.join(rootDir, 'etc'));
    expect(await mountsBeneath(rootDir)).toEqual([]);
    await removeRootDir(rootDir);
    expect(existsSync(rootDir)).toBe(false);
  });

  it('does not take a sibling whose name starts the same for a mount beneath', async () => {
    expect(await mountsBeneath('/pro')).toEqual([]);
    expect(await mountsBeneath('/')).toContain('/proc');
  });
});
