/**
 * A tiny stand-in for the consensus glue, for tests: plans writes against one image, appends the
 * records to an in-memory log (through the codec, as the real log would) and applies them.
 */
import {
  decodeRecord,
  encodeRecord,
  MetadataImage,
  planWrite,
  topicIdSourceFrom,
  type MetadataRecord,
  type MetadataSettings,
  type MetadataWriteOperation,
  type WriteResult,
} from '../../../src/core/metadata/index.js';

export const PLAINTEXT = [{ name: 'PLAINTEXT', host: 'localhost', port: 9092, securityProtocol: 'PLAINTEXT' }];

export class MetadataDriver {
  readonly image = MetadataImage.empty();
  readonly log: MetadataRecord[] = [];
  private readonly newTopicId = topicIdSourceFrom('test');

  constructor(
    private readonly settings: Partial<MetadataSettings> = {},
    private readonly liveSessions = new Set<number>(),
  ) {}

  write(op: MetadataWriteOperation): WriteResult {
    const result = planWrite(this.image, op, {
      nextOffset: this.log.length,
      newTopicId: this.newTopicId,
      settings: this.settings,
      hasLiveSession: (id) => this.liveSessions.has(id),
    });
    if (result.ok) {
      for (const record of result.records) {
        const decoded = decodeRecord(encodeRecord(record));
        this.log.push(decoded);
        this.image.apply(decoded);
      }
    }
    return result;
  }

  /** Writes and expects success; returns the reply. */
  must<R>(op: MetadataWriteOperation): R {
    const result = this.write(op);
    if (!result.ok) throw new Error(`${op.type} failed: ${result.error} ${result.message}`);
    return result.reply as R;
  }

  /** Registers and unfences brokers `ids`. */
  addBrokers(...ids: number[]): void {
    for (const brokerId of ids) {
      const { brokerEpoch } = this.must<{ brokerEpoch: number }>({
        type: 'registerBroker',
        brokerId,
        incarnationId: `incarnation-${brokerId}-${this.log.length}`,
        endpoints: PLAINTEXT,
      });
      this.must({ type: 'brokerHeartbeat', brokerId, brokerEpoch });
    }
  }

  epochOf(brokerId: number): number {
    const broker = this.image.broker(brokerId);
    if (broker === undefined) throw new Error(`broker ${brokerId} is not registered`);
    return broker.brokerEpoch;
  }
}
