/**
 * The packet filter of one node as text for `iptables-restore --noflush`. The nemesis owns one
 * chain (QUORUMCHECK), jumped to from INPUT, so healing flushes exactly what the nemesis added
 * and nothing the image or Docker set up. Every change rewrites the whole chain in one
 * iptables-restore call: declaring the chain flushes it, the rules follow, and COMMIT applies
 * them at once, so a node never runs with half a partition (Jepsen's Net applies rule by rule).
 */

export const nemesisChain = 'QUORUMCHECK';

/**
 * One rule, by the source address of the packets it matches (a peer's address on the project
 * network): `drop` silently, `reset` TCP with a reset (the peer learns at once), `loss` drops a
 * random fraction of its packets.
 */
export type PacketFilterRule =
  | { kind: 'drop'; from: string }
  | { kind: 'reset'; from: string }
  | { kind: 'loss'; from: string; probability: number };

export type DropMode = 'drop' | 'reset';

/**
 * The restore input that makes the chain hold exactly `rules`. `createChain` also makes the
 * chain and the jump from INPUT: true for the first write into a fresh network namespace (a
 * started or restarted container), after which it would add a second jump.
 */
export function chainRestoreInput(rules: readonly PacketFilterRule[], createChain: boolean): string {
  const lines = ['*filter', `:${nemesisChain} - [0:0]`];
  if (createChain) lines.push(`-I INPUT 1 -j ${nemesisChain}`);
  for (const rule of rules) lines.push(`-A ${nemesisChain} ${ruleArgs(rule).join(' ')}`);
  lines.push('COMMIT', '');
  return lines.join('\n');
}

export function ruleArgs(rule: PacketFilterRule): string[] {
  assertIpv4(rule.from);
  switch (rule.kind) {
    case 'drop': return ['-s', rule.from, '-j', 'DROP'];
    case 'reset': return ['-s', rule.from, '-p', 'tcp', '-j', 'REJECT', '--reject-with', 'tcp-reset'];
    case 'loss':
      if (!(rule.probability > 0 && rule.probability <= 1)) {
        throw new RangeError(`loss probability must be in (0, 1], got ${rule.probability}`);
      }
      return ['-s', rule.from, '-m', 'statistic', '--mode', 'random', '--probability', String(rule.probability), '-j', 'DROP'];
  }
}

/** `iptables-restore` reading the input from standard input, waiting for the xtables lock. */
export function restoreCommand(): string[] {
  return ['iptables-restore', '-w', '--noflush'];
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

export function assertIpv4(address: string): void {
  const parts = address.split('.');
  if (parts.length !== 4 || parts.some((part) => !/^\d{1,3}$/.test(part) || Number(part) > 255)) {
    throw new RangeError(`expected an IPv4 address, got '${address}'`);
  }
}
