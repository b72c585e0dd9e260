import { describe, expect, it } from 'vitest';
import {
  dropFromCommand, lossFromCommand, nemesisChain, parseRouteDevice, routeGetCommand, undropFromCommand,
} from '../../../src/harness/cluster/packet-filter-commands.js';
import { demultiplexDockerLog } from '../../../src/harness/cluster/docker-log-frames.js';

describe('packet filter commands', () => {
  it('drops by source address in the nemesis chain, and undrop deletes the same rule', () => {
    expect(dropFromCommand('172.18.0.3')).toEqual(['iptables', '-w', '-A', nemesisChain, '-s', '172.18.0.3', '-j', 'DROP']);
    expect(undropFromCommand('172.18.0.3')).toEqual(['iptables', '-w', '-D', nemesisChain, '-s', '172.18.0.3', '-j', 'DROP']);
    expect(dropFromCommand('10.0.0.1', 'reset')).toContain('tcp-reset');
  });

  it('rejects what is not an IPv4 address, and loss outside (0, 1]', () => {
    expect(() => dropFromCommand('node2')).toThrow(/expected an IPv4 address, got 'node2'/);
    expect(() => routeGetCommand('10.0.0.256')).toThrow(/IPv4/);
    expect(() => lossFromCommand('10.0.0.1', 0)).toThrow(/loss probability must be in \(0, 1\], got 0/);
    expect(lossFromCommand('10.0.0.1', 0.25)).toContain('0.25');
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
