/**
 * The matrix the conformance suites run over: cluster size and role layout, and which level runs
 * where. `npm run conformance` (QUORUMCHECK_CONFORMANCE=nightly) runs every case; `npm test` (CI)
 * runs only the smoke cases each suite marks, on 3 nodes with 30 s of faults.
 */
export interface Topology {
  nodes: 3 | 5 | 7;
  roles: 'combined' | 'isolated';
}

export const TOPOLOGIES: readonly Topology[] = [
  { nodes: 3, roles: 'combined' },
  { nodes: 5, roles: 'combined' },
  { nodes: 3, roles: 'isolated' },
  { nodes: 5, roles: 'isolated' },
  // The largest quorum the issue asks for, nightly only: 7 containers are a heavy load for CI.
  { nodes: 7, roles: 'combined' },
];

export const SMOKE_TOPOLOGY: Topology = { nodes: 3, roles: 'combined' };

export type ConformanceLevel = 'smoke' | 'nightly';

export function conformanceLevel(): ConformanceLevel {
  return process.env.QUORUMCHECK_CONFORMANCE === 'nightly' ? 'nightly' : 'smoke';
}

export function topologyName(topology: Topology): string {
  return `${topology.nodes}-${topology.roles}`;
}

/** Seconds of faults per case: the CI smoke cases keep to 30 s; nightly cases run a minute. */
export function timeLimitS(level: ConformanceLevel): number {
  return level === 'nightly' ? 60 : 30;
}

/**
 * Wall time a case may take: set-up (cluster start, image check), the time limit, recovery, the
 * checks, and a generous margin for a loaded machine.
 */
export function caseTimeoutMs(timeLimitS: number): number {
  return (timeLimitS + 240) * 1000;
}
