/**
 * An older commit's tree beside this one, so a benchmark can measure the old quorumd and the new
 * one in the same run, on the same machine load: `git archive` of the commit into a temporary
 * directory (no worktree, nothing in the repository changes), with this checkout's node_modules
 * linked in (tsx runs its sources as they are; `build` compiles them into its dist/ with this
 * checkout's TypeScript, for benchmarks that run built nodes).
 *
 *   QUORUMD_BENCH_BASELINE=<commit> npm run bench -- create-topics
 *
 * Several commits, comma-separated (QUORUMD_BENCH_BASELINE=1a7eedf,bd94458,3004016), are each
 * measured in the same rounds: one run bisects a regression over several points at once.
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
  /** Compiles the checkout's sources into its dist/ (tsc -p tsconfig.json). */
  build(): Promise<void>;
  remove(): Promise<void>;
}

/** The one commit named by QUORUMD_BENCH_BASELINE, checked out; null when unset (several are refused, naming them). */
export async function baselineFromEnvironment(): Promise<BaselineCheckout | null> {
  const commits = (process.env.QUORUMD_BENCH_BASELINE ?? '').split(',').map((c) => c.trim()).filter((c) => c !== '');
  if (commits.length > 1) throw new Error(`QUORUMD_BENCH_BASELINE=${process.env.QUORUMD_BENCH_BASELINE}: this benchmark compares against one commit`);
  return commits.length === 0 ? null : checkoutCommit(commits[0]!);
}

/** The commits named by QUORUMD_BENCH_BASELINE (comma-separated), checked out in that order; none when unset. */
export async function baselinesFromEnvironment(): Promise<BaselineCheckout[]> {
  const commits = (process.env.QUORUMD_BENCH_BASELINE ?? '').split(',').map((c) => c.trim()).filter((c) => c !== '');
  const checkouts: BaselineCheckout[] = [];
  try {
    for (const commit of commits) checkouts.push(await checkoutCommit(commit));
  } catch (error) {
    await Promise.all(checkouts.map((checkout) => checkout.remove()));
    throw error;
  }
  return checkouts;
}

export async function checkoutCommit(commit: string): Promise<BaselineCheckout> {
  const resolved = await execa('git', ['rev-parse', '--verify', `${commit}^{commit}`], { cwd: REPOSITORY_ROOT, reject: false });
  if (resolved.exitCode !== 0) throw new Error(`QUORUMD_BENCH_BASELINE=${commit} names no commit of this repository: ${resolved.stderr}`);
  const hash = resolved.stdout.trim();
  const description = (await execa('git', ['log', '-1', '--format=%h %s', hash], { cwd: REPOSITORY_ROOT })).stdout.slice(0, 100);
  const root = await mkdtemp(join(tmpdir(), `quorumd-baseline-${hash.slice(0, 8)}-`));
  await execa('sh', ['-c', `git archive --format=tar ${hash} | tar -x -C "${root}"`], { cwd: REPOSITORY_ROOT });
  await symlink(join(REPOSITORY_ROOT, 'node_modules'), join(root, 'node_modules'));
  const build = async (): Promise<void> => {
    const tsc = join(REPOSITORY_ROOT, 'node_modules/typescript/bin/tsc');
    const result = await execa(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: root, reject: false });
    if (result.exitCode !== 0) throw new Error(`building ${hash.slice(0, 8)} in ${root} failed: ${result.stdout}${result.stderr}`);
  };
  return { commit: hash, description, root, build, remove: () => rm(root, { recursive: true, force: true }) };
}
