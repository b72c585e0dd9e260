/**
 * Kill a node the moment it grants a vote: the fault that shows a vote answered before it is on
 * disk (Raft: a voter persists its vote before it replies). quorumd appends each step's events to
 * its event log before the step's messages leave (node/quorum-host.ts), and a vote that is not yet
 * durable becomes durable only with the node's next quorum-state change, a few ms later when the
 * winner's BeginQuorumEpoch or fetch answer arrives. The window is that narrow, so the watch reads
 * each armed node's event log through /proc/<pid>/root as the kernel reports a write to it
 * (inotify) and sends SIGKILL from this host, in a thread of its own: the run's main thread
 * (clients, the nemesis, the engine's API) lags by a hundred ms and more on a loaded machine, and
 * a poll through docker exec or a kill through the Engine API takes tens to hundreds.
 *
 * Hence the nsenter fault path only (a local engine, root); elsewhere the world refuses the fault,
 * saying why. An armed node is killed at its next vote and disarmed; arming it again, and
 * restarting it, is the caller's.
 */
import { Worker } from 'node:worker_threads';

/** A vote as a node's event log says it: `{"kind":"vote-granted","epoch":E,"votedFor":C,...}`. */
export interface LoggedVote {
  node: number;
  epoch: number;
  votedFor: number;
}

/** One running node to arm. */
export interface VoteWatchTarget {
  nodeId: number;
  /** The event log's path as this host sees it (`/proc/<pid>/root/...`). */
  hostPath: string;
  /** The node's main process, which the watch kills. */
  pid: number;
}

/** After the kill (or its failure, `error`), on the main thread. */
export type OnVoteKill = (vote: LoggedVote, error?: Error) => void;

type FromWorker =
  | { type: 'attached'; nodeId: number }
  | { type: 'attach-failed'; nodeId: number; message: string }
  | { type: 'killed'; vote: LoggedVote }
  | { type: 'kill-failed'; vote: LoggedVote; message: string };

/**
 * The watch: `attach` arms a running node (only votes written after it count), `detach` disarms
 * it (before another fault takes it), `stop` ends the thread.
 */
export class VoteKillWatch {
  private readonly worker: Worker;
  private readonly attaching = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  private readonly armed = new Set<number>();

  constructor(private readonly onKilled: OnVoteKill) {
    // Run from TypeScript source (tsx), named functions come wrapped in esbuild's __name(), which
    // the thread lacks: an identity stands in for it.
    const source = `const __name = (target) => target;\n${parseVote.toString()}\n(${watchInThread.toString()})();`;
    this.worker = new Worker(source, { eval: true });
    this.worker.unref();
    this.worker.on('message', (message: FromWorker) => this.receive(message));
    this.worker.on('error', (error) => {
      for (const pending of this.attaching.values()) pending.reject(new Error(`the vote-kill watch failed: ${error.message}`));
      this.attaching.clear();
      this.armed.clear();
    });
  }

  /** Arms the node; rejects naming it if its event log cannot be read (not there yet, say). */
  attach(target: VoteWatchTarget): Promise<void> {
    return new Promise((resolve, reject) => {
      this.attaching.get(target.nodeId)?.reject(new Error(`node ${target.nodeId} was armed again`));
      this.attaching.set(target.nodeId, { resolve, reject });
      this.worker.postMessage({ type: 'attach', ...target });
    });
  }

  /** Disarms the node; true if it was armed (the thread may still kill it if its vote is being read right now). */
  detach(nodeId: number): boolean {
    const was = this.armed.delete(nodeId);
    this.worker.postMessage({ type: 'detach', nodeId });
    return was;
  }

  /** The nodes armed now. */
  armedNodes(): number[] {
    return [...this.armed];
  }

  async stop(): Promise<void> {
    for (const pending of this.attaching.values()) pending.reject(new Error('the vote-kill watch stopped'));
    this.attaching.clear();
    this.armed.clear();
    await this.worker.terminate();
  }

  private receive(message: FromWorker): void {
    switch (message.type) {
      case 'attached':
      case 'attach-failed': {
        const pending = this.attaching.get(message.nodeId);
        this.attaching.delete(message.nodeId);
        if (message.type === 'attached') {
          this.armed.add(message.nodeId);
          pending?.resolve();
        } else {
          pending?.reject(new Error(`node ${message.nodeId}: ${message.message}`));
        }
        return;
      }
      case 'killed':
        this.armed.delete(message.vote.node);
        return this.onKilled(message.vote);
      case 'kill-failed':
        this.armed.delete(message.vote.node);
        return this.onKilled(message.vote, new Error(`node ${message.vote.node}: the kill failed: ${message.message}`));
    }
  }
}

/** The vote in one event log line, or null for any other line. Also runs in the watch's thread: plain JavaScript, no imports. */
export function parseVote(line: string): LoggedVote | null {
  if (!line.includes('"vote-granted"')) return null;
  let event: Record<string, unknown>;
  try {
    event = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (event === null || typeof event !== 'object' || event.kind !== 'vote-granted') return null;
  const { node, epoch, votedFor } = event;
  if (typeof node !== 'number' || typeof epoch !== 'number' || typeof votedFor !== 'number') return null;
  return { node, epoch, votedFor };
}

/**
 * The watch's thread (an eval'd worker: this function's text, after parseVote's, so it may use
 * nothing but Node's own modules). Per armed node: the log open at its end, an inotify watch, and
 * on each write the new lines read at once; the first vote kills the node and disarms it.
 */
function watchInThread(): void {
  /* eslint-disable @typescript-eslint/no-require-imports -- an eval'd worker is CommonJS, with no module of ours */
  const { parentPort } = require('node:worker_threads') as typeof import('node:worker_threads');
  const fs = require('node:fs') as typeof import('node:fs');
  /* eslint-enable @typescript-eslint/no-require-imports */
  interface Armed { fd: number; offset: number; partial: string; pid: number; watcher: import('node:fs').FSWatcher }
  const armed = new Map<number, Armed>();
  const post = (message: FromWorker): void => parentPort!.postMessage(message);
  const detach = (nodeId: number): void => {
    const entry = armed.get(nodeId);
    if (entry === undefined) return;
    armed.delete(nodeId);
    entry.watcher.close();
    fs.closeSync(entry.fd);
  };
  const readNew = (nodeId: number, entry: Armed): void => {
    if (armed.get(nodeId) !== entry) return;
    let size: number;
    try {
      size = fs.fstatSync(entry.fd).size;
    } catch {
      return detach(nodeId);
    }
    if (size <= entry.offset) return;
    const bytes = Buffer.alloc(size - entry.offset);
    const read = fs.readSync(entry.fd, bytes, 0, bytes.length, entry.offset);
    entry.offset += read;
    const lines = (entry.partial + bytes.subarray(0, read).toString('utf8')).split('\n');
    entry.partial = lines.pop() ?? '';
    for (const line of lines) {
      const vote = parseVote(line);
      if (vote === null) continue;
      detach(nodeId);
      try {
        process.kill(entry.pid, 'SIGKILL');
      } catch (error) {
        post({ type: 'kill-failed', vote, message: (error as Error).message });
        return;
      }
      post({ type: 'killed', vote });
      return;
    }
  };
  parentPort!.on('message', (message: { type: 'attach'; nodeId: number; hostPath: string; pid: number } | { type: 'detach'; nodeId: number }) => {
    if (message.type === 'detach') return detach(message.nodeId);
    detach(message.nodeId);
    try {
      const fd = fs.openSync(message.hostPath, 'r');
      const entry: Armed = { fd, offset: fs.fstatSync(fd).size, partial: '', pid: message.pid, watcher: null as unknown as import('node:fs').FSWatcher };
      entry.watcher = fs.watch(message.hostPath, () => readNew(message.nodeId, entry));
      entry.watcher.on('error', () => detach(message.nodeId)); // the process is gone, its /proc entry with it
      armed.set(message.nodeId, entry);
      post({ type: 'attached', nodeId: message.nodeId });
    } catch (error) {
      post({ type: 'attach-failed', nodeId: message.nodeId, message: `its event log ${message.hostPath} cannot be read: ${(error as Error).message}` });
    }
  });
}
