/**
 * Removing a debootstrap root file system left by an earlier attempt. debootstrap mounts /proc
 * (and sometimes /sys) inside the root it builds and unmounts them as it ends; killed midway (a
 * test's timeout, Ctrl-C), it leaves them mounted, and every later `rm -r` of the folder fails
 * with EBUSY on that mount, so no later build could start again until someone unmounted it by hand.
 */
import { execa } from 'execa';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';

/** Mount points at or beneath `rootDir`, deepest first, read from /proc/self/mounts (empty off Linux). */
export async function mountsBeneath(rootDir: string): Promise<string[]> {
  const root = path.resolve(rootDir);
  const beneath = root.endsWith('/') ? root : `${root}/`;
  let table: string;
  try {
    table = await readFile('/proc/self/mounts', 'utf8');
  } catch {
    return [];
  }
  const points = table.split('\n').filter((line) => line !== '')
    // The kernel writes a space in a mount point as \040 (and a tab, newline, backslash as octal too).
    .map((line) => line.split(' ')[1]!.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))))
    .filter((point) => point === root || point.startsWith(beneath));
  return points.sort((a, b) => b.length - a.length);
}

/** Unmounts whatever is mounted beneath `rootDir`, then removes it; says which mount would not let go. */
export async function removeRootDir(rootDir: string): Promise<void> {
  for (const point of await mountsBeneath(rootDir)) {
    const result = await execa('umount', ['--lazy', point], { reject: false });
    if (result.exitCode !== 0) {
      throw new Error(`cannot remove ${rootDir}: ${point} is mounted and umount failed (${String(result.stderr).trim() || `exit ${result.exitCode}`})`);
    }
  }
  await rm(rootDir, { recursive: true, force: true });
}
