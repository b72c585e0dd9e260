/**
 * Progress of a long run on a terminal: two status lines redrawn in place at the bottom (phase,
 * operations done by outcome, a bar with elapsed and remaining time, and the faults in force),
 * with lasting lines (a fault applied or undone, a phase begun, a seed done) printed above them,
 * so the terminal keeps a log and a live summary at once. Redraws are throttled. Where the output
 * is not a terminal the CLI prints plain lines instead; with --json it prints nothing but the
 * result. This renderer knows nothing of the run pipeline: the CLI turns the pipeline's progress
 * events into `update` and `line` calls.
 */
export interface RunStatus {
  /** setup, faults, recovery, collecting, checking, writing, done. */
  phase: string;
  operations: number;
  ok: number;
  fail: number;
  info: number;
  /** The faults in force, in words. */
  nemesis: readonly string[];
  /** On the run's clock (simulated time in the simulator); null before the fault phase. */
  elapsedMs: number | null;
  remainingMs: number | null;
}

export interface StatusOutput {
  write(text: string): void;
  /** The terminal's width; lines are cut to it. */
  columns?: number;
}

export interface TerminalStatusOptions {
  /** Wall clock, for the time since the status began (default performance.now). */
  nowMs?: () => number;
  /** Least wall time between two redraws caused by updates (default 100 ms). */
  redrawIntervalMs?: number;
}

const CLEAR_LINE = '\x1b[2K\r';
const UP = '\x1b[1A';
const BAR_CELLS = 20;
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export class TerminalStatus {
  private status: RunStatus = { phase: 'setup', operations: 0, ok: 0, fail: 0, info: 0, nemesis: [], elapsedMs: null, remainingMs: null };
  /** Status lines currently on screen (0 before the first draw and after finish). */
  private drawnLines = 0;
  private lastDrawMs = -Infinity;
  private frame = 0;
  private readonly startedMs: number;
  private readonly nowMs: () => number;
  private readonly redrawIntervalMs: number;

  constructor(private readonly out: StatusOutput, options: TerminalStatusOptions = {}) {
    this.nowMs = options.nowMs ?? (() => performance.now());
    this.redrawIntervalMs = options.redrawIntervalMs ?? 100;
    this.startedMs = this.nowMs();
  }

  /** New figures; the status is redrawn at most every redrawIntervalMs (a phase change at once). */
  update(change: Partial<RunStatus>): void {
    const phaseChanged = change.phase !== undefined && change.phase !== this.status.phase;
    this.status = { ...this.status, ...change };
    if (phaseChanged || this.nowMs() - this.lastDrawMs >= this.redrawIntervalMs) this.draw();
  }

  /** A lasting line, printed above the status. */
  line(text: string): void {
    this.out.write(`${this.erase()}${text}\n`);
    this.drawnLines = 0;
    this.draw();
  }

  /** Removes the status lines, leaving the lasting ones. */
  finish(): void {
    this.out.write(this.erase());
    this.drawnLines = 0;
  }

  private draw(): void {
    const lines = this.render();
    this.out.write(`${this.erase()}${lines.join('\n')}`);
    this.drawnLines = lines.length;
    this.lastDrawMs = this.nowMs();
    this.frame += 1;
  }

  /** Moves to the first status line and clears each on the way. */
  private erase(): string {
    if (this.drawnLines === 0) return '';
    return CLEAR_LINE + `${UP}${CLEAR_LINE}`.repeat(this.drawnLines - 1);
  }

  render(): string[] {
    const status = this.status;
    const width = Math.max(40, this.out.columns ?? 100);
    const spinner = status.phase === 'done' ? '✓' : SPINNER[this.frame % SPINNER.length]!;
    const counts = `${status.operations} ops (${status.ok} ok, ${status.fail} fail, ${status.info} info)`;
    const wall = `wall ${seconds(this.nowMs() - this.startedMs)}`;
    let time = wall;
    if (status.elapsedMs !== null) {
      const total = status.elapsedMs + Math.max(0, status.remainingMs ?? 0);
      const fraction = total <= 0 ? 1 : Math.min(1, status.elapsedMs / total);
      const filled = Math.round(fraction * BAR_CELLS);
      time = `${'█'.repeat(filled)}${'░'.repeat(BAR_CELLS - filled)} ${Math.floor(fraction * 100)}%  ` +
        `${seconds(status.elapsedMs)} elapsed, ${seconds(Math.max(0, status.remainingMs ?? 0))} left  ${wall}`;
    }
    const first = `${spinner} ${status.phase.padEnd(10)} ${counts}  ${time}`;
    const second = `  nemesis: ${status.nemesis.length === 0 ? 'none in force' : status.nemesis.join('; ')}`;
    return [cut(first, width), cut(second, width)];
  }
}

function seconds(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.floor((ms % 60_000) / 1000)} s`;
}

/** Cut to the terminal's width, so a line never wraps (a wrapped line would not be erased). */
function cut(text: string, width: number): string {
  const characters = [...text];
  return characters.length <= width - 1 ? text : `${characters.slice(0, width - 2).join('')}…`;
}
