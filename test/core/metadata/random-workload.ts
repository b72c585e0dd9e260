/**
 * Seeded random metadata workloads for property tests: a driver receives a random mix of broker
 * registrations, heartbeats, fences and topic writes over small pools of ids and names, so
 * collisions, refusals, fencing and re-creation all happen often.
 */
import type { MetadataWriteOperation } from '../../../src/core/metadata/index.js';
import type { MetadataDriver } from './metadata-driver.js';

export { mulberry32 as seededRandom } from '../../support/mulberry32.js';

const TOPICS = ['a', 'b', 'c.d', 'c_d', 'e-f'];
const CONFIGS: readonly Record<string, string>[] = [{}, { 'retention.ms': '1000' }, { 'cleanup.policy': 'compact', 'segment.ms': '10' }, { 'retention.ms': 'bad' }];

export function randomOperation(random: () => number, driver: MetadataDriver): MetadataWriteOperation {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const brokerId = pick([1, 2, 3, 4]);
  const name = pick(TOPICS);
  const roll = random();
  if (roll < 0.1) {
    return { type: 'registerBroker', brokerId, incarnationId: `i${Math.floor(random() * 3)}`, endpoints: [], rack: pick([null, 'r1']) };
  }
  if (roll < 0.3) {
    const epoch = driver.image.broker(brokerId)?.brokerEpoch ?? 0;
    return { type: 'brokerHeartbeat', brokerId, brokerEpoch: random() < 0.9 ? epoch : epoch + 1, wantFence: random() < 0.2 };
  }
  if (roll < 0.38) return { type: 'fenceBroker', brokerId };
  if (roll < 0.6) {
    return {
      type: 'createTopic',
      name,
      numPartitions: pick([-1, 1, 2, 5, 0]),
      replicationFactor: pick([-1, 1, 2, 3]),
      configs: pick(CONFIGS),
    };
  }
  if (roll < 0.72) return { type: 'deleteTopic', name };
  if (roll < 0.86) return { type: 'createPartitions', name, totalCount: Math.floor(random() * 8) };
  return { type: 'alterConfigs', name, configs: pick(CONFIGS) };
}

/** Runs `count` random operations against `driver`; refusals are part of the workload. */
export function runRandomWorkload(driver: MetadataDriver, random: () => number, count: number): void {
  for (let i = 0; i < count; i++) driver.write(randomOperation(random, driver));
}
