/**
 * `quorumcheck run --env docker --system S [--version V] [--read-mode M]`: the choices are
 * checked before anything starts, and a wrong one is a usage error (exit 3) naming it.
 */
import { describe, expect, it, vi } from 'vitest';
import { execute, parseRunArgs, UsageError } from '../../src/cli/commands/run.js';

async function usageErrorOf(args: string[]): Promise<string> {
  const parsed = parseRunArgs(args);
  if (parsed === 'help') throw new Error('help');
  const written: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  try {
    expect(await execute(parsed, args.join(' '))).toBe(3);
  } finally {
    spy.mockRestore();
  }
  return written.join('');
}

describe('quorumcheck run --system', () => {
  it('keeps the choices for a Docker run, and refuses them for the simulator', () => {
    const parsed = parseRunArgs(['--env', 'docker', '--system', 'kafka-kraft', '--version', '4.3', '--read-mode', 'any-broker']);
    expect(parsed).not.toBe('help');
    if (parsed !== 'help') expect(parsed.systemChoice).toEqual({ name: 'kafka-kraft', version: '4.3', readMode: 'any-broker' });
    expect(() => parseRunArgs(['--system', 'kafka-zk'])).toThrow(UsageError);
    expect(() => parseRunArgs(['--system', 'kafka-zk'])).toThrow(/add --env docker/);
  });

  it('names an unknown system, version or read mode', async () => {
    expect(await usageErrorOf(['--env', 'docker', '--seed', '1', '--system', 'kafka'])).toMatch(/unknown system 'kafka'/);
    expect(await usageErrorOf(['--env', 'docker', '--seed', '1', '--system', 'kafka-kraft', '--version', '2.8.0'])).toMatch(/kafka-kraft version '2.8.0' is not one quorumcheck knows/);
    expect(await usageErrorOf(['--env', 'docker', '--seed', '1', '--system', 'kafka-zk', '--read-mode', 'controller'])).toMatch(/has no linearizable read/);
    expect(await usageErrorOf(['--env', 'docker', '--seed', '1', '--system', 'etcd', '--read-mode', 'none'])).toMatch(/etcd reads are linearizable or serializable, got 'none'/);
    expect(await usageErrorOf(['--env', 'docker', '--seed', '1', '--system', 'etcd', '--roles', 'isolated'])).toMatch(/etcd has no isolated roles/);
  });
});
