/**
 * Captures what a CLI command run in this process writes to standard output and error (the
 * writes are swallowed). Undo with vi.restoreAllMocks().
 */
import { vi } from 'vitest';

export function captureOutput(): { stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => { out.push(String(chunk)); return true; });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => { err.push(String(chunk)); return true; });
  return { stdout: () => out.join(''), stderr: () => err.join('') };
}
