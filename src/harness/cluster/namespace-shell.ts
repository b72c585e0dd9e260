/**
 * One long-lived `sh` on this host through which the nsenter path runs its commands. Starting a
 * process from Node costs 15 to 90 ms on a loaded 2-core machine, most of a partition's budget,
 * while the shell forks `nsenter ... iptables-restore` in a few milliseconds. Requests made in
 * the same turn of the event loop (one per node of a partition) run as one batch, in parallel
 * inside the shell; batches run one after another.
 *
 * Each command's exit code and output come back as one line, `QC_RESULT <n> <code> <base64>`
 * (output cut to 2 KB so a line stays within an atomic pipe write), and the batch ends with
 * `QC_DONE <batch>`.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { ExecOutcome } from './started-quorum-node.js';

export interface ShellRequest {
  /** The command, run as it is (no shell interpretation of its arguments). */
  argv: readonly string[];
  /** Its standard input, given as a here-document. */
  input?: string;
}

interface Pending {
  request: ShellRequest;
  resolve(outcome: ExecOutcome): void;
  reject(error: Error): void;
}

/** Output kept per command: enough for any error message, small enough for one pipe write. */
const outputBytesMax = 2_048;

export class NamespaceShell {
  private child: ChildProcessWithoutNullStreams | null = null;
  private readonly queued: Pending[] = [];
  private running = false;
  private flushScheduled = false;
  private batch = 0;
  private stdoutTail = '';
  private stderrTail = '';
  private onLine: ((line: string) => void) | null = null;
  private closed = false;

  run(request: ShellRequest): Promise<ExecOutcome> {
    if (this.closed) return Promise.reject(new Error('the namespace shell is closed (the cluster was stopped)'));
    return new Promise((resolve, reject) => {
      this.queued.push({ request, resolve, reject });
      this.scheduleFlush();
    });
  }

  /** Ends the shell; requests after this reject. */
  close(): void {
    this.closed = true;
    this.child?.stdin.end();
    this.child?.kill();
    this.child = null;
  }

  private scheduleFlush(): void {
    if (this.running || this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queued.splice(0);
    if (batch.length === 0) return;
    this.running = true;
    try {
      const outcomes = await this.runBatch(batch.map((pending) => pending.request));
      batch.forEach((pending, index) => pending.resolve(outcomes[index] as ExecOutcome));
    } catch (error) {
      for (const pending of batch) pending.reject(error as Error);
    } finally {
      this.running = false;
      if (this.queued.length > 0) this.scheduleFlush();
    }
  }

  private runBatch(requests: readonly ShellRequest[]): Promise<ExecOutcome[]> {
    const child = this.shell();
    const batch = (this.batch += 1);
    const script = requests.map((request, index) => commandLine(request, batch, index)).join('\n');
    return new Promise((resolve, reject) => {
      const outcomes: ExecOutcome[] = [];
      const onExit = (): void => reject(new Error(`the namespace shell exited: ${this.stderrTail.trim() || 'no message'}`));
      child.once('exit', onExit);
      this.onLine = (line) => {
        const result = /^QC_RESULT (\d+) (\d+) ?(\S*)$/.exec(line);
        if (result !== null) {
          const output = Buffer.from(result[3] ?? '', 'base64').toString('utf8');
          outcomes[Number(result[1])] = { exitCode: Number(result[2]), stdout: output, stderr: output };
          return;
        }
        if (line === `QC_DONE ${batch}`) {
          child.off('exit', onExit);
          this.onLine = null;
          handle(child.stdout).unref();
          if (outcomes.length !== requests.length || outcomes.some((outcome) => outcome === undefined)) {
            reject(new Error(`the namespace shell answered ${outcomes.filter(Boolean).length} of ${requests.length} commands: ${this.stderrTail.trim()}`));
          } else {
            resolve(outcomes);
          }
        }
      };
      handle(child.stdout).ref();
      child.stdin.write(`${script}\nwait\necho QC_DONE ${batch}\n`);
    });
  }

  private shell(): ChildProcessWithoutNullStreams {
    if (this.child !== null) return this.child;
    const child = spawn('sh', [], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (this.stdoutTail + chunk).split('\n');
      this.stdoutTail = lines.pop() ?? '';
      for (const line of lines) this.onLine?.(line);
    });
    child.stderr.on('data', (chunk: string) => { this.stderrTail = (this.stderrTail + chunk).slice(-outputBytesMax); });
    child.on('exit', () => { if (this.child === child) this.child = null; });
    child.on('error', () => {}); // reported through the batch's exit handler
    // An idle shell must not keep a finished run's process alive: its pipes are referenced only
    // while a batch waits for its answer.
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr]) handle(stream).unref();
    this.child = child;
    return child;
  }
}

/** One request as a background job that prints its result line. */
function commandLine(request: ShellRequest, batch: number, index: number): string {
  const command = request.argv.map(shellQuote).join(' ');
  const capture = `out=$(${command} 2>&1`;
  if (request.input === undefined) {
    return `( ${capture} </dev/null); rc=$?; printf 'QC_RESULT ${index} %s %s\\n' "$rc" "$(printf '%s' "$out" | head -c ${outputBytesMax} | base64 -w0)" ) &`;
  }
  const terminator = `QC_EOF_${batch}_${index}`;
  if (request.input.split('\n').includes(terminator)) throw new Error(`the input holds the line ${terminator}`);
  const input = request.input.endsWith('\n') ? request.input : `${request.input}\n`;
  return [
    `( ${capture} <<'${terminator}'`,
    `${input}${terminator}`,
    `); rc=$?; printf 'QC_RESULT ${index} %s %s\\n' "$rc" "$(printf '%s' "$out" | head -c ${outputBytesMax} | base64 -w0)" ) &`,
  ].join('\n');
}

/** A child's pipes are sockets, which a stream's type does not say: they can be (un)referenced. */
function handle(stream: unknown): { ref(): void; unref(): void } {
  return stream as { ref(): void; unref(): void };
}

export function shellQuote(argument: string): string {
  return `'${argument.replace(/'/g, `'\\''`)}'`;
}
