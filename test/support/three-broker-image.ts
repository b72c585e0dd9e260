/**
 * A committed metadata image of three unfenced brokers and `partitions` partitions (topics of
 * 10,000 partitions, replicas [1, 2, 3], leaders spread over the three): the big image the core's
 * slicing tests (fencing, appends, the new leader's rebuild) work on.
 */
import { MetadataImage } from '../../src/core/metadata/index.js';

export const PARTITIONS_PER_TOPIC = 10_000;

export function threeBrokerImage(partitions: number): MetadataImage {
  const image = MetadataImage.empty();
  for (const brokerId of [1, 2, 3]) {
    image.apply({ type: 'RegisterBroker', brokerId, incarnationId: `i${brokerId}`, brokerEpoch: brokerId, endpoints: [], rack: null, fenced: false });
  }
  for (let t = 0; t < partitions / PARTITIONS_PER_TOPIC; t++) {
    const topicId = (t + 1).toString(16).padStart(32, '0');
    image.apply({ type: 'Topic', name: `t${t}`, topicId });
    for (let p = 0; p < PARTITIONS_PER_TOPIC; p++) {
      image.apply({ type: 'Partition', topicId, partitionId: p, replicas: [1, 2, 3], isr: [1, 2, 3], leader: 1 + (p % 3), leaderEpoch: 0, partitionEpoch: 0 });
    }
  }
  return image;
}
