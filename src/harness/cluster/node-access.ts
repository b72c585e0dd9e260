/**
 * How the fault mechanisms reach inside a node's container: its network namespace (iptables) and
 * its files (libfaketime's offset file). Two paths:
 * - `nsenter`: when the engine runs on this machine and we are root, the container's main process
 *   is a process of ours to see: `nsenter --net=/proc/<pid>/ns/net` runs the host's own iptables
 *   in its namespace (through one long-lived shell, namespace-shell.ts, so a change to 5 nodes
 *   costs a few forks rather than 5 process starts from Node), and files are written through
 *   `/proc/<pid>/root`. The image needs no iptables for this path.
 * - `docker-exec`: anywhere else (a remote engine through DOCKER_HOST, Docker Desktop, not root),
 *   through the Engine API's exec. Each exec costs a few API round trips (50 to 300 ms).
 * The choice is made once per cluster (`auto` probes nsenter on the first node) and said in the
 * cluster's log, so a slow run shows why.
 */
import { access, readFile, rename, writeFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { NamespaceShell } from './namespace-shell.js';
import type { ExecOutcome } from './started-quorum-node.js';

export type FaultPath = 'nsenter' | 'docker-exec';
export type FaultPathChoice = FaultPath | 'auto';

/** What the access needs of a node: its main process and an exec into its container. */
export interface AccessTarget {
  readonly nodeId: number;
  /** The engine's full id of the node's container. */
  readonly containerId: string;
  /** The host pid of the container's main process (changes when the container restarts). */
  mainPid(): Promise<number>;
  execInContainer(command: readonly string[]): Promise<ExecOutcome>;
}

export interface NodeAccess {
  readonly path: FaultPath;
  /** Why this path, in words, for the cluster's log. */
  readonly reason: string;
  /** Runs `command` in the node's network namespace, `input` on its standard input. */
  inNetworkNamespace(target: AccessTarget, command: readonly string[], input?: string): Promise<ExecOutcome>;
  /** Replaces a file inside the node's container. */
  writeFile(target: AccessTarget, pathInContainer: string, content: string): Promise<void>;
  /** Reads a file inside a running node's container. */
  readFile(target: AccessTarget, pathInContainer: string): Promise<string>;
  /** Ends what the path keeps running (the nsenter path's shell). */
  close(): void;
}

const nsenterAccess = (reason: string, shell = new NamespaceShell()): NodeAccess => ({
  path: 'nsenter',
  reason,
  async inNetworkNamespace(target, command, input) {
    const pid = await target.mainPid();
    return shell.run({ argv: ['nsenter', `--net=/proc/${pid}/ns/net`, '--', ...command], ...(input === undefined ? {} : { input }) });
  },
  async writeFile(target, pathInContainer, content) {
    // Write aside and rename, so a reader (libfaketime reads on every clock read) never sees half a file.
    const hostPath = `/proc/${await target.mainPid()}/root${pathInContainer}`;
    await writeFile(`${hostPath}.next`, content);
    await rename(`${hostPath}.next`, hostPath);
  },
  async readFile(target, pathInContainer) {
    return readFile(`/proc/${await target.mainPid()}/root${pathInContainer}`, 'utf8');
  },
  close: () => shell.close(),
});

const dockerExecAccess = (reason: string): NodeAccess => ({
  path: 'docker-exec',
  reason,
  inNetworkNamespace(target, command, input) {
    if (input === undefined) return target.execInContainer(command);
    // Exec has no standard input here: hand the input over as an argument and pipe it in.
    return target.execInContainer(['sh', '-c', 'input="$1"; shift; printf "%s" "$input" | "$@"', 'sh', input, ...command]);
  },
  async writeFile(target, pathInContainer, content) {
    const outcome = await target.execInContainer(['sh', '-c', 'printf "%s" "$1" > "$2.next" && mv "$2.next" "$2"', 'sh', content, pathInContainer]);
    if (outcome.exitCode !== 0) {
      throw new Error(`node ${target.nodeId}: writing ${pathInContainer} failed: ${(outcome.stderr || outcome.stdout).trim()}`);
    }
  },
  async readFile(target, pathInContainer) {
    const outcome = await target.execInContainer(['cat', pathInContainer]);
    if (outcome.exitCode !== 0) {
      throw new Error(`node ${target.nodeId}: reading ${pathInContainer} failed: ${(outcome.stderr || outcome.stdout).trim()}`);
    }
    return outcome.stdout;
  },
  close: () => {},
});

export interface ChooseAccessOptions {
  choice: FaultPathChoice;
  /** The engine's host as testcontainers sees it (`localhost` for a local socket). */
  engineHost: string;
  /** DOCKER_HOST as this process was started with, if any. */
  dockerHostVariable?: string | undefined;
}

/** Picks the path for a cluster; `probe` is a started node used to try nsenter once. */
export async function chooseNodeAccess(options: ChooseAccessOptions, probe: AccessTarget): Promise<NodeAccess> {
  if (options.choice === 'docker-exec') return dockerExecAccess('asked for (faultPath: docker-exec)');
  const unavailable = await nsenterUnavailable(options, probe);
  if (unavailable === null) return nsenterAccess('local engine and root: nsenter into each container\'s network namespace');
  if (options.choice === 'nsenter') throw new Error(`faultPath nsenter asked for, but ${unavailable}`);
  return dockerExecAccess(`docker exec, because ${unavailable}`);
}

/** Null when nsenter works on this node; otherwise why not. */
async function nsenterUnavailable(options: ChooseAccessOptions, probe: AccessTarget): Promise<string | null> {
  const dockerHost = options.dockerHostVariable ?? '';
  if (dockerHost !== '' && !dockerHost.startsWith('unix://')) return `the engine is remote (DOCKER_HOST=${dockerHost})`;
  if (!isThisMachine(options.engineHost)) return `the engine is on ${options.engineHost}, not this machine`;
  if (process.getuid?.() !== 0) return 'this process is not root (nsenter needs it)';
  const pid = await probe.mainPid();
  try {
    await access(`/proc/${pid}/ns/net`);
  } catch {
    return `the container's process ${pid} is not visible here (another pid namespace, or Docker Desktop's VM)`;
  }
  // The engine's pid is in the engine's pid namespace: in another one (a container sharing the
  // host's network but not its pids) the same number is some other process. Its cgroup names it.
  const cgroups = await readFile(`/proc/${pid}/cgroup`, 'utf8').catch(() => '');
  if (!cgroups.includes(probe.containerId)) {
    return `process ${pid} here is not the container's (its cgroups do not name ${probe.containerId.slice(0, 12)}: another pid or cgroup namespace)`;
  }
  const probing = nsenterAccess('probe');
  try {
    const tried = await probing.inNetworkNamespace(probe, ['iptables-restore', '--version']);
    if (tried.exitCode !== 0) return `nsenter or iptables-restore failed on this host: ${tried.stderr.trim()}`;
  } catch (error) {
    return `no shell to run nsenter from: ${(error as Error).message}`;
  } finally {
    probing.close();
  }
  return null;
}

/**
 * Whether `host` names this machine: a loopback name, or an address of one of its interfaces.
 * Testcontainers names a local engine by its bridge gateway (172.17.0.1) when it believes it runs
 * inside a container (a /.dockerenv file); that address is ours when the engine runs beside us,
 * and a sibling container's gateway (another machine, as far as pids go) when it does not.
 */
export function isThisMachine(host: string, interfaces = networkInterfaces()): boolean {
  if (['localhost', '127.0.0.1', '::1'].includes(host)) return true;
  return Object.values(interfaces).some((addresses) => (addresses ?? []).some((address) => address.address === host));
}
