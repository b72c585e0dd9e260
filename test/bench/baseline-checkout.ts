/**
 * An older commit's tree beside this one, so a benchmark can measure the old quorumd and the new
 * one in the same run, on the same machine load: `git archive` of the commit into a temporary
 * directory (no worktree, nothing in the repository changes), with this checkout's node_modules
 * linked in (tsx runs its sources as they are).
 *
 *   QUORUMD_BENCH_BASELINE=<commit> npm run bench -- create-topics
 */
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

const REPOSITORY_ROOT = new URL('../..', import.meta.url).pathname;

export interface BaselineCheckout {
  commit: string;
  /** The full hash and subject, for the printed figures. */
  description: string;
  root: string;
  remove(): Promise<void>;
}

/** The commit named by QUORUMD_BENCH_BASELINE, checked out; null when the variable is unset. */
export async function baselineFromEnvironment(): Promise<BaselineCheckout | null> {
  const commit = process.env.QUORUMD_BENCH_BASELINE;
  return commit === undefined || commit === '' ? null : checkoutCommit(commit);
}

export async function checkoutCommit(commit: string): Promise<BaselineCheckout> {
  const resolved = await execa('git', ['rev-parse', '--verify', `${commit}^{commit}`], { cwd: REPOSITORY_ROOT, reject: false });
  if (resolved.exitCode !== 0) throw new Error(`QUORUMD_BENCH_BASELINE=${commit} names no commit of this repository: ${resolved.stderr}`);
  const hash = resolved.stdout.trim();
  const description = (await execa('git', ['log', '-1', '--format=%h %s', hash], { cwd: REPOSITORY_ROOT })).stdout.slice(0, 100);
  const root = await mkdtemp(join(tmpdir(), `quorumd-baseline-${hash.slice(0, 8)}-`));
  await execa('sh', ['-c', `git archive --format=tar ${hash} | tar -x -C "${root}"`], { cwd: REPOSITORY_ROOT });
  await symlink(join(REPOSITORY_ROOT, 'node_modules'), join(root, 'node_modules'));
  return { commit: hash, description, root, remove: () => rm(root, { recursive: true, force: true }) };
}
