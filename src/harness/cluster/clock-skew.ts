/**
 * Clock skew faults with libfaketime. Containers share the kernel's clock, so skew is per
 * process: a node started with clock skew enabled runs its program under libfaketime's
 * LD_PRELOAD, reading its offset from a file that the nemesis rewrites while it runs. Only the
 * wall clock moves; the monotonic clock is left alone, as on a real machine whose NTP steps the
 * time.
 *
 * The file is read on every wall-clock read (FAKETIME_NO_CACHE), not once a second, so a strobe
 * of 10 ms is seen as such. That costs about 25 µs per Date.now() (measured in the quorumd image;
 * monotonic reads are unaffected), which a node reading the wall clock for request deadlines and
 * log lines does not notice.
 */
import { nodeConfigDir } from './node-program.js';

export const faketimeFileName = 'faketime';
export const faketimeFilePath = `${nodeConfigDir}/${faketimeFileName}`;
/** More than a day of skew is not a clock fault a quorum should be judged on. */
export const clockOffsetMsMax = 86_400_000;

/** libfaketime's relative offset syntax: `+1.250s`, `-0.005s`. */
export function faketimeOffset(offsetMs: number): string {
  if (!Number.isInteger(offsetMs) || Math.abs(offsetMs) > clockOffsetMsMax) {
    throw new RangeError(`clock offset must be an integer number of ms within ±${clockOffsetMsMax}, got ${offsetMs}`);
  }
  const sign = offsetMs < 0 ? '-' : '+';
  return `${sign}${(Math.abs(offsetMs) / 1000).toFixed(3)}s`;
}

/** Shell lines that put the rest of run.sh under libfaketime (its path differs per architecture). */
export function faketimeRunPrefix(): string {
  return [
    'for library in /usr/lib/*/faketime/libfaketime.so.1; do export LD_PRELOAD="$library"; done',
    'if [ ! -e "${LD_PRELOAD:-}" ]; then echo "clock skew asked for, but libfaketime is not installed" >&2; exit 1; fi',
    `export FAKETIME_TIMESTAMP_FILE=${faketimeFilePath}`,
    'export FAKETIME_NO_CACHE=1',
    'export FAKETIME_DONT_FAKE_MONOTONIC=1',
  ].join('\n');
}
