import { describe, expect, it } from 'vitest';
import {
  chainRestoreInput, nemesisChain, parseRouteDevice, restoreCommand, routeGetCommand, ruleArgs,
} from '../../../src/harness/cluster/packet-filter-commands.js';
import { demultiplexDockerLog } from '../../../src/harness/cluster/docker-log-frames.js';

describe('packet filter commands', () => {
  it('rewrites the whole nemesis chain in one restore: declaring it flushes it, COMMIT applies all', () => {
    const input = chainRestoreInput([
      { kind: 'drop', from: '172.18.0.3' },
      { kind: 'loss', from: '172.18.0.4', probability: 0.25 },
    ], false);
    expect(input).toBe([
      '*filter',
      `:${nemesisChain} - [0:0]`,
      `-A ${nemesisChain} -s 172.18.0.3 -j DROP`,
      `-A ${nemesisChain} -s 172.18.0.4 -m statistic --mode random --probability 0.25 -j DROP`,
      'COMMIT',
      '',
    ].join('\n'));
    expect(restoreCommand()).toEqual(['iptables-restore', '-w', '--noflush']);
  });

  it('adds the jump from INPUT only when the chain is new, and an empty rule list heals', () => {
    expect(chainRestoreInput([], true).split('\n')).toEqual(['*filter', `:${nemesisChain} - [0:0]`, `-I INPUT 1 -j ${nemesisChain}`, 'COMMIT', '']);
    expect(chainRestoreInput([], false)).not.toContain('INPUT');
  });

  it('resets TCP with a reset when asked, rather than dropping silently', () => {
    expect(ruleArgs({ kind: 'reset', from: '10.0.0.1' })).toEqual(['-s', '10.0.0.1', '-p', 'tcp', '-j', 'REJECT', '--reject-with', 'tcp-reset']);
  });

  it('rejects what is not an IPv4 address, and loss outside (0, 1]', () => {
    expect(() => ruleArgs({ kind: 'drop', from: 'node2' })).toThrow(/expected an IPv4 address, got 'node2'/);
    expect(() => routeGetCommand('10.0.0.256')).toThrow(/IPv4/);
    expect(() => ruleArgs({ kind: 'loss', from: '10.0.0.1', probability: 0 })).toThrow(/loss probability must be in \(0, 1\], got 0/);
  });

  it('finds the device in ip route get output', () => {
    expect(parseRouteDevice('172.19.0.3 dev eth1 src 172.19.0.2 uid 0 \\    cache ')).toBe('eth1');
    expect(() => parseRouteDevice('RTNETLINK answers: Network is unreachable')).toThrow(/no device/);
  });
});

describe('docker log frames', () => {
  const frame = (stream: number, text: string): Buffer => {
    const payload = Buffer.from(text);
    const header = Buffer.alloc(8);
    header[0] = stream;
    header.writeUInt32BE(payload.length, 4);
    return Buffer.concat([header, payload]);
  };

  it('joins stdout and stderr frames in order', () => {
    expect(demultiplexDockerLog(Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n'), frame(1, 'more')]))).toBe('out\nerr\nmore');
  });

  it('returns raw bytes as they are when they are not frames (TTY containers)', () => {
    expect(demultiplexDockerLog(Buffer.from('plain text log line\n'))).toBe('plain text log line\n');
  });
});
