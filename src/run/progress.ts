/**
 * Progress of a run as events, through a small sink: the CLI prints them as plain lines when
 * stdout is not a terminal; a richer terminal renderer (the report's) can consume the same
 * events. A sink never influences a run: it is told, it decides nothing.
 */
import type { RunVerdict } from '../history/run-directory-format.js';

export type RunPhase = 'setup' | 'faults' | 'recovery' | 'collecting' | 'checking' | 'writing' | 'done';

export type ProgressEvent =
  /** A phase began; times are the world's clock (simulated ms in the simulator). */
  | { kind: 'phase'; phase: RunPhase; atMs: number; detail?: string }
  /** Periodically during the fault phase. */
  | {
    kind: 'tick'; atMs: number; elapsedMs: number; remainingMs: number;
    operations: number; ok: number; fail: number; info: number; nemesis: readonly string[];
  }
  /** A fault applied or undone. */
  | { kind: 'nemesis'; atMs: number; action: 'start' | 'stop' | 'failed'; description: string }
  /** A seed of a sweep finished. */
  | { kind: 'seed'; seed: number; verdict: RunVerdict; done: number; total: number; reasons: readonly string[]; runDirectory: string | null }
  /** Anything else worth a line (a world's own diagnostics). */
  | { kind: 'log'; line: string };

export interface ProgressSink {
  emit(event: ProgressEvent): void;
}

export const SILENT: ProgressSink = Object.freeze({ emit: () => undefined });

/** Plain lines, one per event (ticks, seeds and nemesis actions included). */
export function plainLineSink(write: (line: string) => void): ProgressSink {
  return { emit: (event) => write(formatProgress(event)) };
}

export function formatProgress(event: ProgressEvent): string {
  const at = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  switch (event.kind) {
    case 'phase': return `[${at(event.atMs)}] ${event.phase}${event.detail === undefined ? '' : `: ${event.detail}`}`;
    case 'tick':
      return `[${at(event.atMs)}] faults: ${event.operations} operations (${event.ok} ok, ${event.fail} fail, ${event.info} info); ` +
        `nemesis: ${event.nemesis.length === 0 ? 'none in force' : event.nemesis.join(', ')}; ` +
        `${at(event.elapsedMs)} elapsed, ${at(event.remainingMs)} remaining`;
    case 'nemesis': return `[${at(event.atMs)}] nemesis ${event.action} ${event.description}`;
    case 'seed': {
      const head = `seed ${event.seed}: ${event.verdict} (${event.done}/${event.total})`;
      const reason = event.reasons[0] === undefined ? '' : ` — ${event.reasons[0].split('\n')[0]}`;
      const where = event.runDirectory === null ? '' : `; run directory ${event.runDirectory}`;
      return `${head}${reason}${where}`;
    }
    case 'log': return event.line;
  }
}
