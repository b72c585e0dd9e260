/**
 * Which engine counts as this machine's for the nsenter path: loopback names, and any address of
 * one of this machine's interfaces (testcontainers names a local engine by its bridge gateway when
 * a /.dockerenv file says we are in a container); another machine's address does not. And a pid
 * that is not the container's (another pid namespace) is not entered.
 */
import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { chooseNodeAccess, isThisMachine, type AccessTarget } from '../../../src/harness/cluster/node-access.js';

const address = (value: string): NetworkInterfaceInfo =>
  ({ address: value, netmask: '255.255.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: false, cidr: `${value}/16` });

describe('isThisMachine', () => {
  const interfaces = { lo: [address('127.0.0.1')], docker0: [address('172.17.0.1')], eth0: [address('192.0.2.2')] };

  it('takes loopback names and the addresses of this machine\'s interfaces', () => {
    for (const host of ['localhost', '127.0.0.1', '::1', '172.17.0.1', '192.0.2.2']) expect(isThisMachine(host, interfaces)).toBe(true);
  });

  it('refuses another machine, or a sibling container\'s gateway', () => {
    for (const host of ['172.17.0.2', '10.0.0.5', 'docker.example']) expect(isThisMachine(host, interfaces)).toBe(false);
    expect(isThisMachine('172.17.0.1', { eth0: [address('172.17.0.3')] })).toBe(false);
  });
});

describe('chooseNodeAccess', () => {
  it("does not enter a process that is not the container's: its cgroups must name the container", async () => {
    // This test's own process stands for the wrong process a pid can name in another pid namespace.
    const notTheContainer: AccessTarget = {
      nodeId: 1,
      containerId: 'f'.repeat(64),
      mainPid: async () => process.pid,
      execInContainer: async () => ({ exitCode: 0, stdout: '', stderr: '' }),
    };
    const chosen = await chooseNodeAccess({ choice: 'auto', engineHost: 'localhost' }, notTheContainer);
    chosen.close();
    expect(chosen.path).toBe('docker-exec');
    const expected = process.getuid?.() === 0 ? /its cgroups do not name ffffffffffff/ : /not root/;
    expect(chosen.reason).toMatch(expected);
    await expect(chooseNodeAccess({ choice: 'nsenter', engineHost: 'localhost' }, notTheContainer)).rejects.toThrow(expected);
  });
});
