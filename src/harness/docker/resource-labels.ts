/**
 * Ownership of the containers and networks the project creates. The testcontainers reaper
 * (Ryuk) cannot be pulled here (TESTCONTAINERS_RYUK_DISABLED=true), so the project cleans up
 * after itself: every resource carries labels naming its run, the creating process and host;
 * a run removes its own on dispose and (synchronously) on process exit, and the next start
 * removes stale ones, i.e. those whose creating process on this host is gone (a crashed run).
 * Resources of live processes are left alone: parallel test workers share one engine.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { processIsAlive } from './build-lock.js';
import { docker, DockerCommandError, dockerSync, type ProgressLog } from './docker-cli.js';

export const runLabel = 'quorumcheck.run';
export const pidLabel = 'quorumcheck.pid';
export const hostLabel = 'quorumcheck.host';

export function newRunId(): string {
  return `${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`;
}

/** The labels to put on every container and network of a run. */
export function ownerLabels(runId: string): Record<string, string> {
  return { [runLabel]: runId, [pidLabel]: String(process.pid), [hostLabel]: os.hostname() };
}

export interface LabelledResource {
  kind: 'container' | 'network';
  id: string;
  runId: string;
  pid: number;
  host: string;
}

const formatFields = `{{.ID}}\t{{.Label "${runLabel}"}}\t{{.Label "${pidLabel}"}}\t{{.Label "${hostLabel}"}}`;

/** Every container and network carrying the run label, whoever made it. */
export async function listLabelledResources(): Promise<LabelledResource[]> {
  const [containers, networks] = await Promise.all([
    docker(['container', 'ls', '--all', '--filter', `label=${runLabel}`, '--format', formatFields]),
    docker(['network', 'ls', '--filter', `label=${runLabel}`, '--format', formatFields]),
  ]);
  return [...parseListing('container', containers), ...parseListing('network', networks)];
}

function parseListing(kind: LabelledResource['kind'], listing: string): LabelledResource[] {
  return listing.split('\n').filter((line) => line !== '').map((line) => {
    const [id = '', runId = '', pid = '', host = ''] = line.split('\t');
    return { kind, id, runId, pid: Number(pid), host };
  });
}

export function isStale(resource: LabelledResource): boolean {
  if (resource.host !== os.hostname()) return false; // another machine's run: not ours to judge
  return !(Number.isInteger(resource.pid) && resource.pid > 0 && processIsAlive(resource.pid));
}

/** Removes resources left by crashed runs on this host; returns how many it removed. */
export async function removeStaleResources(log: ProgressLog = () => {}): Promise<number> {
  const stale = (await listLabelledResources()).filter(isStale);
  await removeLabelledResources(stale);
  if (stale.length > 0) {
    const runs = [...new Set(stale.map((resource) => resource.runId))].join(', ');
    log(`removed ${stale.length} stale containers/networks of crashed runs (${runs})`);
  }
  return stale.length;
}

/** Removes every container and network of one run (containers first: networks in use cannot go). */
export async function removeRunResources(runId: string): Promise<void> {
  const mine = (await listLabelledResources()).filter((resource) => resource.runId === runId);
  await removeLabelledResources(mine);
}

/**
 * Removes the given containers, then networks (networks in use cannot go). A resource another
 * process removed meanwhile counts as removed.
 */
export async function removeLabelledResources(resources: LabelledResource[]): Promise<void> {
  const containers = resources.filter((resource) => resource.kind === 'container').map((resource) => resource.id);
  const networks = resources.filter((resource) => resource.kind === 'network').map((resource) => resource.id);
  if (containers.length > 0) await removeTolerantly(['container', 'rm', '--force', '--volumes', ...containers]);
  if (networks.length > 0) await removeTolerantly(['network', 'rm', ...networks]);
}

/**
 * What the engine says when another process removes the same resource first: every starting run
 * removes stale resources, so two runs (or two test workers) starting together race for them.
 */
const removedByAnother = /No such (container|network)|removal of container \S+ is already in progress|network \S+ not found/i;

/** `docker <rm...>` that counts a resource another process removed first as removed. */
async function removeTolerantly(args: string[]): Promise<void> {
  try {
    await docker(args);
  } catch (error) {
    if (!(error instanceof DockerCommandError)) throw error;
    // The CLI may end with its own "exit status 1" after the engine's messages: not a message.
    const lines = error.stderr.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !/^exit status \d+$/.test(line));
    if (lines.length === 0 || lines.some((line) => !removedByAnother.test(line))) throw error;
  }
}

const runsToRemoveOnExit = new Set<string>();
let exitHookInstalled = false;

/**
 * Removes the run's resources if the process exits before the run is disposed (a failed test,
 * Ctrl-C). An 'exit' handler cannot await, so this uses the synchronous docker CLI.
 */
export function removeOnExit(runId: string): { cancel(): void } {
  runsToRemoveOnExit.add(runId);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', removeRunsSynchronously);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        removeRunsSynchronously();
        process.kill(process.pid, signal);
      });
    }
  }
  return { cancel: () => runsToRemoveOnExit.delete(runId) };
}

/** Runs whose resources the exit or signal hook removed: their containers' deaths are ours. */
const runsRemovedOnExit = new Set<string>();

/** Whether the exit or signal hook has removed this run's containers (so their exits are expected). */
export function removedOnExit(runId: string): boolean {
  return runsRemovedOnExit.has(runId);
}

function removeRunsSynchronously(): void {
  for (const runId of runsToRemoveOnExit) {
    runsRemovedOnExit.add(runId);
    try {
      const filter = ['--filter', `label=${runLabel}=${runId}`];
      const containers = dockerSync(['container', 'ls', '--all', '--quiet', ...filter]).split('\n').filter(Boolean);
      if (containers.length > 0) dockerSync(['container', 'rm', '--force', '--volumes', ...containers]);
      const networks = dockerSync(['network', 'ls', '--quiet', ...filter]).split('\n').filter(Boolean);
      if (networks.length > 0) dockerSync(['network', 'rm', ...networks]);
    } catch (error) {
      // The process is exiting: report and go on with the other runs rather than throw.
      process.stderr.write(`quorumcheck: could not remove containers of run ${runId}: ${String(error)}\n`);
    }
  }
  runsToRemoveOnExit.clear();
}
