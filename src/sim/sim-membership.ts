/**
 * Dynamic membership in the simulator (KIP-853): which controllers start as voters and which as
 * spares formatted to join later, and the directory id of each disk a node runs on. Directory ids
 * are drawn from the seed (the node's own stream, per disk generation), in Kafka's UUID text, so a
 * run replays byte for byte and a replaced disk gets a new one.
 */
import type { Voter } from '../core/raft/voter-set.js';
import { SeededRandom } from './random.js';

const UUID_BYTES = 16;
const BYTE_VALUES = 256;

export interface SimMembership {
  /** The initial voters, formatted with --initial-controllers. */
  voters: readonly number[];
  /** Controllers formatted with --no-initial-controllers: observers until added. */
  spares: readonly number[];
}

/** The directory id of `nodeId`'s disk number `generation` (0: the first one) in the run of `seed`. */
export function simDirectoryId(seed: number, nodeId: number, generation: number): string {
  const random = SeededRandom.fromSeed(seed).fork(`directory-${nodeId}-${generation}`);
  const bytes = Buffer.alloc(UUID_BYTES);
  for (let i = 0; i < UUID_BYTES; i++) bytes[i] = random.intBetween(0, BYTE_VALUES - 1);
  return bytes.toString('base64url');
}

/** The bootstrap voter set every initial voter was formatted with. */
export function initialVoters(seed: number, membership: SimMembership): Voter[] {
  return membership.voters.map((id) => ({ id, directoryId: simDirectoryId(seed, id, 0), endpoints: [] }));
}

/** The core settings of a node of a membership cluster, on its disk. */
export function membershipSettings(
  seed: number, membership: SimMembership, disk: { directoryId: string; joiner: boolean },
): Record<string, unknown> {
  return {
    kraftVersion: 1,
    voters: [],
    directoryId: disk.directoryId,
    bootstrapVoters: disk.joiner ? null : initialVoters(seed, membership),
    bootstrapServers: [...membership.voters],
  };
}
