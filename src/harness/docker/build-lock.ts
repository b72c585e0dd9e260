/**
 * A lock between processes on this machine, so that parallel test workers (or a test run and a
 * CLI run) do not build the same image twice at once: the second waits, then finds the image.
 * It is a directory made atomically by mkdir, holding the owner's pid; a lock whose owner died
 * (a crashed run) is taken over rather than waited on forever.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { scratchDir } from './project-paths.js';
import type { ProgressLog } from './docker-cli.js';

const pollIntervalMs = 500;
/** Cold builds (debootstrap) take about a minute here; ten is a hung owner, not a slow one. */
const waitMsMax = 10 * 60_000;

/** Who shares what the build writes: this checkout alone, or every checkout on the machine. */
export type BuildLockScope = 'checkout' | 'machine';

export function buildLockDir(name: string, scope: BuildLockScope): string {
  const locks = scope === 'machine' ? path.join(os.tmpdir(), 'quorumcheck-locks') : path.join(scratchDir, 'locks');
  return path.join(locks, `${name}.lock`);
}

export async function withBuildLock<T>(name: string, log: ProgressLog, work: () => Promise<T>, scope: BuildLockScope = 'checkout'): Promise<T> {
  const lockDir = buildLockDir(name, scope);
  await mkdir(path.dirname(lockDir), { recursive: true });
  const startedMs = Date.now();
  let announced = false;
  while (!(await tryAcquire(lockDir))) {
    if (Date.now() - startedMs > waitMsMax) {
      throw new Error(`build lock ${lockDir} still held after ${waitMsMax} ms; remove it if no build runs`);
    }
    if (!announced) log(`waiting for another process building ${name} (lock ${lockDir})`);
    announced = true;
    await sleep(pollIntervalMs);
  }
  try {
    return await work();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

async function tryAcquire(lockDir: string): Promise<boolean> {
  try {
    await mkdir(lockDir);
    await writeFile(path.join(lockDir, 'pid'), String(process.pid));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const ownerPid = Number(await readFile(path.join(lockDir, 'pid'), 'utf8').catch(() => ''));
  // A lock without a pid file may be one being made this instant: wait for it rather than steal.
  if (Number.isInteger(ownerPid) && ownerPid > 0 && !processIsAlive(ownerPid)) {
    await rm(lockDir, { recursive: true, force: true });
  }
  return false;
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
