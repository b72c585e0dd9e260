import { afterEach, describe, expect, it, vi } from 'vitest';
import { main, parseSimArgs } from '../../src/cli/commands/sim.js';
import { main as runMain } from '../../src/cli/commands/run.js';

function captureOutput(): { stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => { out.push(String(chunk)); return true; });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => { err.push(String(chunk)); return true; });
  return { stdout: () => out.join(''), stderr: () => err.join('') };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('quorumcheck sim arguments', () => {
  it('parses a replay and pins what was given', () => {
    const parsed = parseSimArgs(['--seed', '42', '--nodes', '5', '--faults', 'crash,partition', '--duration', '2.5']);
    expect(parsed).toMatchObject({ seed: 42, runOptions: { voters: 5, faults: ['crash', 'partition'], safetyPhaseMs: 2500 } });
    expect(parseSimArgs(['--seeds', '3', '--faults', 'none'])).toMatchObject({ seeds: 3, runOptions: { faults: [] } });
  });

  it('names what is wrong with bad input', () => {
    expect(() => parseSimArgs([])).toThrow('give exactly one of --seed N or --seeds M');
    expect(() => parseSimArgs(['--seed', '1', '--seeds', '2'])).toThrow('give exactly one of');
    expect(() => parseSimArgs(['--seed', 'x'])).toThrow("--seed must be an integer in [0, 9007199254740991], got 'x'");
    expect(() => parseSimArgs(['--seed', '1', '--faults', 'fire'])).toThrow("unknown fault kind 'fire'");
    expect(() => parseSimArgs(['--seed', '1', '--duration', 'soon'])).toThrow('--duration must be simulated seconds');
  });
});

describe('quorumcheck sim and run', () => {
  it('replays one seed and exits 0 when it is valid', async () => {
    const output = captureOutput();
    expect(await main(['--seed', '9', '--nodes', '3', '--observers', '0', '--faults', 'none', '--duration', '2'])).toBe(0);
    expect(output.stdout()).toMatch(/^seed 9: valid \(3 voters, 0 observers, \d+ clients?; faults none; \d+ operations/);
  });

  it('runs a batch from a base seed and summarizes it', async () => {
    const output = captureOutput();
    const code = await main(['--seeds', '3', '--base-seed', '70', '--jobs', '1', '--faults', 'none', '--duration', '2', '--progress-ms', '0']);
    expect(code).toBe(0);
    expect(output.stdout()).toContain('running 3 seeds from base seed 70');
    expect(output.stdout()).toContain('3 seeds from base seed 70: 3 valid, 0 invalid, 0 unknown');
    expect(output.stderr()).toContain('progress: 3/3 seeds');
  });

  it('answers a usage error with exit code 2 and the usage', async () => {
    const output = captureOutput();
    expect(await main(['--nodes', '3'])).toBe(2);
    expect(output.stderr()).toContain('usage: quorumcheck sim');
    expect(await runMain(['--target', 'docker'])).toBe(2);
    expect(output.stderr()).toContain("target 'docker' is not available yet");
  });
});
