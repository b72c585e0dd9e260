/**
 * The iptables and ip commands the nemesis runs inside a node's container, as argument arrays.
 * Rules live in a chain of their own (QUORUMCHECK), jumped to from INPUT, so healing flushes
 * exactly what the nemesis added and nothing the image or Docker set up.
 */

export const nemesisChain = 'QUORUMCHECK';

/** Creates the chain and the jump from INPUT if they are missing; safe to run repeatedly. */
export function ensureChainCommand(): string[] {
  return ['sh', '-c', [
    `iptables -w -N ${nemesisChain} 2>/dev/null || true`,
    `iptables -w -C INPUT -j ${nemesisChain} 2>/dev/null || iptables -w -I INPUT 1 -j ${nemesisChain}`,
  ].join('; ')];
}

export type DropMode = 'drop' | 'reset';

/** Drops (silently, or with a TCP reset) every packet arriving from `sourceAddress`. */
export function dropFromCommand(sourceAddress: string, mode: DropMode = 'drop'): string[] {
  assertIpv4(sourceAddress);
  return ['iptables', '-w', '-A', nemesisChain, '-s', sourceAddress, ...targetArgs(mode)];
}

export function undropFromCommand(sourceAddress: string, mode: DropMode = 'drop'): string[] {
  assertIpv4(sourceAddress);
  return ['iptables', '-w', '-D', nemesisChain, '-s', sourceAddress, ...targetArgs(mode)];
}

/** Drops a random fraction of packets from `sourceAddress` (packet loss rather than a cut). */
export function lossFromCommand(sourceAddress: string, probability: number): string[] {
  assertIpv4(sourceAddress);
  if (!(probability > 0 && probability <= 1)) throw new RangeError(`loss probability must be in (0, 1], got ${probability}`);
  return ['iptables', '-w', '-A', nemesisChain, '-s', sourceAddress,
    '-m', 'statistic', '--mode', 'random', '--probability', String(probability), '-j', 'DROP'];
}

export function healCommand(): string[] {
  return ['iptables', '-w', '-F', nemesisChain];
}

export function listRulesCommand(): string[] {
  return ['iptables', '-w', '-S', nemesisChain];
}

export function routeGetCommand(peerAddress: string): string[] {
  assertIpv4(peerAddress);
  return ['ip', '-o', 'route', 'get', peerAddress];
}

/** The device in `ip -o route get` output: `10.1.2.3 dev eth1 src 10.1.2.4 uid 0`. */
export function parseRouteDevice(output: string): string {
  const match = /\bdev (\S+)/.exec(output);
  if (match?.[1] === undefined) throw new Error(`no device in ip route output: '${output.trim()}'`);
  return match[1];
}

function targetArgs(mode: DropMode): string[] {
  return mode === 'drop' ? ['-j', 'DROP'] : ['-p', 'tcp', '-j', 'REJECT', '--reject-with', 'tcp-reset'];
}

function assertIpv4(address: string): void {
  const parts = address.split('.');
  if (parts.length !== 4 || parts.some((part) => !/^\d{1,3}$/.test(part) || Number(part) > 255)) {
    throw new RangeError(`expected an IPv4 address, got '${address}'`);
  }
}
