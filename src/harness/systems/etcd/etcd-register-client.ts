/**
 * One logical process's client for etcd's register workload, through `etcd3` (the v3 gRPC
 * client most used from Node.js, maintained, typed). Each client talks to one node only (its
 * `endpoint`), so a client of a node cut off from the majority sees what that node says: the way
 * a stale serializable read becomes observable.
 *
 * Operations, in the keyed register vocabulary (values are Jepsen's independent `[key, value]`
 * pairs; see src/history/register-operations.ts for the register's own words):
 * - `read` `[k, null]` → ok `[k, v]` (v null: no such key). `linearizable` reads are etcd's
 *   default quorum reads (ReadIndex); `serializable` reads answer from the member's own store.
 * - `write` `[k, v]` → ok `[k, v]`.
 * - `cas` `[k, [expected, new]]` → ok `[k, [expected, new]]` when it applied, ok `[k, false]` when
 *   the compare failed (a transaction comparing the value, or "no such key" for expected null).
 *
 * Values are stored as JSON text. etcd3's own retries are off (a retried compare-and-set that had
 * applied would report "compare failed"): each call is one request with a deadline. A read that
 * errs is a `fail` (a read changes nothing); a write or cas that errs is `info` (it may have
 * applied), except an argument etcd refused outright.
 */
import { Etcd3, GRPCInvalidArgumentError } from 'etcd3';
import { noop } from 'cockatiel';

export type EtcdReadConsistency = 'linearizable' | 'serializable';
export const ETCD_READ_CONSISTENCIES: readonly EtcdReadConsistency[] = ['linearizable', 'serializable'];

/** A completed operation in the history's words (the same shape as the system adapter's). */
export type RegisterCompletion =
  | { type: 'ok'; value: unknown; node?: number }
  | { type: 'fail'; error: string; node?: number }
  | { type: 'info'; error: string; node?: number };

export interface EtcdRegisterClientOptions {
  /** `host:port` of the one node this client talks to. */
  endpoint: string;
  /** The node's id, recorded with each completion. */
  nodeId?: number;
  requestTimeoutMs: number;
  reads: EtcdReadConsistency;
}

export class EtcdRegisterClient {
  private readonly client: Etcd3;

  constructor(private readonly options: EtcdRegisterClientOptions) {
    this.client = new Etcd3({
      hosts: `http://${options.endpoint}`,
      dialTimeout: options.requestTimeoutMs,
      faultHandling: { host: () => noop, global: noop },
    });
  }

  async invoke(f: string, value: unknown): Promise<RegisterCompletion> {
    const [key, argument] = keyedValue(f, value);
    const deadline = { deadline: Date.now() + this.options.requestTimeoutMs };
    const node = this.options.nodeId === undefined ? {} : { node: this.options.nodeId };
    try {
      switch (f) {
        case 'read': {
          const text = await this.client.get(key).serializable(this.options.reads === 'serializable').options(deadline).string();
          return { type: 'ok', value: [key, text === null ? null : JSON.parse(text) as unknown], ...node };
        }
        case 'write':
          await this.client.put(key).value(JSON.stringify(argument)).options(deadline);
          return { type: 'ok', value: [key, argument], ...node };
        case 'cas': {
          const [expected, replacement] = casPair(argument);
          const transaction = expected === null
            ? this.client.if(key, 'Create', '==', 0)
            : this.client.if(key, 'Value', '==', JSON.stringify(expected));
          const result = await transaction.then(this.client.put(key).value(JSON.stringify(replacement))).options(deadline).commit();
          return { type: 'ok', value: [key, result.succeeded ? [expected, replacement] : false], ...node };
        }
        default:
          throw new RangeError(`etcd register client: unknown operation '${f}' (read, write, cas)`);
      }
    } catch (error) {
      if (error instanceof RangeError) throw error;
      const message = describeError(error);
      if (f === 'read' || error instanceof GRPCInvalidArgumentError) return { type: 'fail', error: message, ...node };
      return { type: 'info', error: message, ...node };
    }
  }

  async close(): Promise<void> {
    this.client.close();
  }
}

function keyedValue(f: string, value: unknown): [string, unknown] {
  if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'string') {
    throw new RangeError(`etcd register client: ${f} needs [key, value] with a string key, got ${JSON.stringify(value)}`);
  }
  return [value[0], value[1]];
}

function casPair(argument: unknown): [unknown, unknown] {
  if (!Array.isArray(argument) || argument.length !== 2) {
    throw new RangeError(`etcd register client: cas needs [key, [expected, new]], got ${JSON.stringify(argument)}`);
  }
  return [argument[0] ?? null, argument[1]];
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
