/**
 * The terminal progress renderer, on a small virtual terminal that applies what it writes (clear
 * line, carriage return, cursor up, newline): lasting lines stay, the status lines are redrawn in
 * place and never pile up, redraws are throttled, and nothing is wider than the terminal.
 */
import { describe, expect, it } from 'vitest';
import { TerminalStatus } from '../../src/report/progress/terminal-status.js';

/** A screen of rows; the cursor moves as a VT100 terminal's does for the codes the renderer uses. */
class VirtualTerminal {
  rows: string[] = [''];
  row = 0;
  writes = 0;
  constructor(readonly columns: number) {}

  write(text: string): void {
    this.writes += 1;
    for (let at = 0; at < text.length;) {
      if (text.startsWith('\x1b[2K', at)) { this.rows[this.row] = ''; at += 4; continue; }
      if (text.startsWith('\x1b[1A', at)) { this.row = Math.max(0, this.row - 1); at += 4; continue; }
      const char = text[at]!;
      if (char === '\r') { at += 1; continue; }
      if (char === '\n') {
        this.row += 1;
        if (this.rows.length <= this.row) this.rows.push('');
        at += 1;
        continue;
      }
      if ([...(this.rows[this.row] ?? '')].length >= this.columns) throw new Error(`row ${this.row} wrapped: ${this.rows[this.row]}`);
      this.rows[this.row] = (this.rows[this.row] ?? '') + char;
      at += 1;
    }
  }

  screen(): string[] {
    return this.rows.slice(0, this.row + 1).filter((row, index, rows) => index < rows.length - 1 || row !== '');
  }
}

describe('TerminalStatus', () => {
  it('keeps lasting lines above two status lines redrawn in place', () => {
    let nowMs = 0;
    const terminal = new VirtualTerminal(120);
    const status = new TerminalStatus(terminal, { nowMs: () => nowMs, redrawIntervalMs: 0 });
    status.update({ phase: 'faults', elapsedMs: 0, remainingMs: 60_000 });
    status.line('[1.8 s] nemesis start partition majorities-ring');
    for (let second = 1; second <= 30; second++) {
      nowMs = second * 100;
      status.update({ operations: second * 10, ok: second * 9, fail: second - 1, info: 1, elapsedMs: second * 1000, remainingMs: 60_000 - second * 1000, nemesis: ['partition majorities-ring'] });
    }
    status.line('[31.0 s] nemesis stop partition');
    const screen = terminal.screen();
    expect(screen).toHaveLength(4);
    expect(screen.slice(0, 2)).toEqual(['[1.8 s] nemesis start partition majorities-ring', '[31.0 s] nemesis stop partition']);
    expect(screen[2]).toMatch(/^. faults {5}300 ops \(270 ok, 29 fail, 1 info\) {2}█{10}░{10} 50% {2}30\.0 s elapsed, 30\.0 s left {2}wall 3\.0 s$/);
    expect(screen[3]).toBe('  nemesis: partition majorities-ring');
    status.finish();
    expect(terminal.screen()).toEqual(screen.slice(0, 2));
  });

  it('redraws at most once per interval, but at once for a new phase', () => {
    let nowMs = 0;
    const terminal = new VirtualTerminal(120);
    const status = new TerminalStatus(terminal, { nowMs: () => nowMs, redrawIntervalMs: 100 });
    status.update({ phase: 'faults' });
    const afterFirst = terminal.writes;
    for (let i = 1; i <= 50; i++) {
      nowMs = i;
      status.update({ operations: i });
    }
    expect(terminal.writes).toBe(afterFirst);
    status.update({ phase: 'checking' });
    expect(terminal.writes).toBe(afterFirst + 1);
    expect(terminal.screen()[0]).toMatch(/^. checking +50 ops/);
  });

  it('cuts lines to the terminal width, so a narrow terminal never wraps', () => {
    const terminal = new VirtualTerminal(48);
    const status = new TerminalStatus(terminal, { nowMs: () => 0, redrawIntervalMs: 0 });
    status.update({ phase: 'faults', operations: 123_456, elapsedMs: 1000, remainingMs: 1000, nemesis: ['kill node 1', 'pause node 2', 'partition bridge'] });
    for (const row of terminal.screen()) expect([...row].length).toBeLessThan(48);
    expect(terminal.screen()[1]).toMatch(/…$/);
  });
});
