/**
 * Generates register histories shaped like those recorded from etcd under partitions, for the
 * keyed register model's tests and the checker benchmark: a few keys, about 3,000 calls per key,
 * unique written values, 1-2 % of calls indeterminate (mostly timed-out writes and
 * compare-and-sets).
 *
 * A linearizable register per key runs underneath. Clients (a few per key, each attached to one of
 * three nodes) invoke read, write and cas at random moments; each call takes effect at one instant
 * between its invocation and its completion, and the answer recorded is the register's at that
 * instant, so the order of those instants is a linearization. Every few seconds one node is cut
 * off for a while: calls from its clients time out. A timed-out write or cas ends in `info` and
 * took effect or not (half each); a timed-out read ends in `fail` (a read changes nothing, so
 * Jepsen's etcd client fails it). After an `info` the client goes on as a new process, as in
 * Jepsen. A cas expects the value its client last saw, so both outcomes (applied, compare failed)
 * are common.
 *
 * Values: `[key, value]` as the keyed register models read them (src/checker/models/register.ts):
 * read invoked `[k, null]` and answered `[k, v]` (null: the key does not exist); write `[k, v]`;
 * cas invoked `[k, [expected, new]]`, answered `[k, [expected, new]]` when it applied and
 * `[k, false]` when the compare failed. Written values are unique integers.
 *
 * `staleReads: n` turns n reads into stale ones, as a serializable (non-quorum) read from a
 * lagging node gives: each answers a value that an earlier, completed call had already replaced,
 * chosen so that no linearization can explain it (see staleValue). The history is then invalid.
 *
 * Everything random comes from one seed.
 */
import type { Operation } from '../../src/history/operation.js';
import type { Call } from '../../src/checker/model.js';
import { pairCalls } from '../../src/history/calls.js';
import { mulberry32 } from './mulberry32.js';

export interface RegisterHistoryOptions {
  seed: number;
  /** How many keys ("k0".."k{n-1}"). Default 3. */
  keys?: number;
  /** How many calls to invoke per key. Default 3000. */
  callsPerKey?: number;
  /** Clients per key (each works on one key). Default 5. */
  clientsPerKey?: number;
  /** Of each partition cycle, how long a node is cut off (ms). Default 3000. */
  partitionMs?: number;
  /** Of each partition cycle, how long the network is whole (ms). Default 3000. */
  healedMs?: number;
  /** How long a client waits before giving up on a call (ms). Default 200. */
  timeoutMs?: number;
  /** How many reads to make stale (the history is invalid when > 0). Default 0. */
  staleReads?: number;
}

export interface GeneratedRegisterHistory {
  operations: Operation[];
  /** The same history paired into calls (fails dropped, info open-ended), ids in invocation order. */
  calls: Call[];
  /** Call ids of the reads made stale. */
  staleReadIds: number[];
}

const NODES = 3;
const READ_SHARE = 0.4;
const WRITE_SHARE = 0.3;
/** A call's latency when its node is reachable: 1 ms plus an exponential with this mean. */
const LATENCY_MEAN_MS = 4;
/** A client's pause between calls: an exponential with this mean. */
const THINK_MEAN_MS = 30;
const NS_PER_MS = 1_000_000;

interface Pending {
  client: number;
  process: number;
  key: string;
  f: 'read' | 'write' | 'cas';
  input: unknown;
  invokeIndex: number;
  invokeTimeNs: number;
  /** Whether the call takes effect (at applyTimeNs). */
  applies: boolean;
  applyTimeNs: number;
  completeTimeNs: number;
  /** How it ends: ok with the answer given when it took effect, info, or fail. */
  ending: 'ok' | 'info' | 'fail';
  output?: unknown;
}

/** One value a key held, from when it was set. */
interface Epoch {
  value: number | null;
  /** The call that set it, and the one that replaced it (undefined while current). */
  setBy?: Pending;
  replacedBy?: Pending;
}

type Event = { timeNs: number; seq: number; kind: 'invoke' | 'apply' | 'complete'; client: number };

export function generateRegisterHistory(options: RegisterHistoryOptions): GeneratedRegisterHistory {
  const keyCount = options.keys ?? 3;
  const callsPerKey = options.callsPerKey ?? 3000;
  const clientsPerKey = options.clientsPerKey ?? 5;
  const partitionNs = (options.partitionMs ?? 3000) * NS_PER_MS;
  const healedNs = (options.healedMs ?? 3000) * NS_PER_MS;
  const timeoutNs = (options.timeoutMs ?? 200) * NS_PER_MS;
  for (const [name, value] of [['keys', keyCount], ['callsPerKey', callsPerKey], ['clientsPerKey', clientsPerKey]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
  }
  const random = mulberry32(options.seed);
  const exponential = (meanNs: number): number => Math.floor(-Math.log(1 - random()) * meanNs);
  const keys = Array.from({ length: keyCount }, (_, i) => `k${i}`);
  const clients = keyCount * clientsPerKey;
  const keyOfClient = (client: number): string => keys[Math.floor(client / clientsPerKey)]!;
  const nodeOfClient = (client: number): number => client % NODES;

  const operations: Operation[] = [];
  const epochs = new Map<string, Epoch[]>(keys.map((key) => [key, [{ value: null }]]));
  const invokedPerKey = new Map<string, number>(keys.map((key) => [key, 0]));
  const processOf = Array.from({ length: clients }, (_, client) => client);
  const lastSeen = new Array<number | null>(clients).fill(null);
  const pending: (Pending | null)[] = new Array<Pending | null>(clients).fill(null);
  const finished: Pending[] = [];
  let nextValue = 1;

  const queue = new EventQueue();
  for (let client = 0; client < clients; client++) queue.push(exponential(THINK_MEAN_MS * NS_PER_MS), 'invoke', client);

  // Partition schedule: cycle = healed, then one node cut off (a different random node each time).
  const isolatedNodeAt = (timeNs: number): number | null => {
    const cycle = Math.floor(timeNs / (healedNs + partitionNs));
    if (timeNs - cycle * (healedNs + partitionNs) < healedNs) return null;
    return isolatedNodes[cycle] ??= Math.floor(random() * NODES);
  };
  const isolatedNodes: number[] = [];

  const record = (op: Omit<Operation, 'index'>): Operation => {
    const operation: Operation = { index: operations.length, ...op };
    operations.push(operation);
    return operation;
  };

  for (let event = queue.pop(); event !== undefined; event = queue.pop()) {
    const { client, timeNs } = event;
    const key = keyOfClient(client);
    if (event.kind === 'invoke') {
      if (invokedPerKey.get(key)! >= callsPerKey) continue;
      invokedPerKey.set(key, invokedPerKey.get(key)! + 1);
      const roll = random();
      const f = roll < READ_SHARE ? 'read' : roll < READ_SHARE + WRITE_SHARE ? 'write' : 'cas';
      const input = f === 'read' ? [key, null] : f === 'write' ? [key, nextValue++] : [key, [lastSeen[client], nextValue++]];
      const invoke = record({ type: 'invoke', process: processOf[client]!, f, value: input, timeNs });
      const cutOff = isolatedNodeAt(timeNs) === nodeOfClient(client);
      const latencyNs = NS_PER_MS + exponential(LATENCY_MEAN_MS * NS_PER_MS);
      const call: Pending = {
        client, process: processOf[client]!, key, f, input, invokeIndex: invoke.index, invokeTimeNs: timeNs,
        applies: !cutOff || (f !== 'read' && random() < 0.5),
        applyTimeNs: 0, completeTimeNs: cutOff ? timeNs + timeoutNs : timeNs + latencyNs,
        ending: !cutOff ? 'ok' : f === 'read' ? 'fail' : 'info',
      };
      call.applyTimeNs = timeNs + Math.floor(random() * (call.completeTimeNs - timeNs));
      pending[client] = call;
      if (call.applies) queue.push(call.applyTimeNs, 'apply', client);
      queue.push(call.completeTimeNs, 'complete', client);
    } else if (event.kind === 'apply') {
      const call = pending[client]!;
      call.output = apply(epochs.get(key)!, call);
    } else {
      const call = pending[client]!;
      pending[client] = null;
      const value = call.ending === 'ok' ? call.output : call.input;
      record({ type: call.ending, process: call.process, f: call.f, value, timeNs, ...(call.ending === 'ok' ? {} : { error: 'timeout' }) });
      if (call.ending === 'info') processOf[client] = processOf[client]! + clients;
      if (call.ending === 'ok') lastSeen[client] = seenValue(call, lastSeen[client]!);
      finished.push(call);
      queue.push(timeNs + exponential(THINK_MEAN_MS * NS_PER_MS), 'invoke', client);
    }
  }

  const staleInvokes = new Set(makeStaleReads(options.staleReads ?? 0, random, finished, epochs, operations));
  const calls = pairCalls(operations);
  return { operations, calls, staleReadIds: calls.filter((call) => staleInvokes.has(call.invokeIndex)).map((call) => call.id) };
}

/** Applies a call to its key's register at this instant; returns the answer (the ok value). */
function apply(epochs: Epoch[], call: Pending): unknown {
  const current = epochs[epochs.length - 1]!;
  const [key, argument] = call.input as [string, unknown];
  if (call.f === 'read') return [key, current.value];
  const replace = (value: number): void => {
    current.replacedBy = call;
    epochs.push({ value, setBy: call });
  };
  if (call.f === 'write') {
    replace(argument as number);
    return call.input;
  }
  const [expected, next] = argument as [number | null, number];
  if (current.value !== expected) return [key, false];
  replace(next);
  return call.input;
}

/** The value a client knows its key held after a call that completed ok. */
function seenValue(call: Pending, before: number | null): number | null {
  const answer = (call.output as [string, unknown])[1];
  if (call.f === 'read') return answer as number | null;
  if (call.f === 'write') return answer as number;
  return answer === false ? before : (answer as [number | null, number])[1];
}

/**
 * Makes `count` reads stale. A read of value v is illegal in every linearization when v was
 * replaced by a call R that completed ok before the read was invoked, and the call that wrote v
 * (W) must precede R: W completed ok before R was invoked, or R is a cas that applied expecting v.
 * Then W < R < read in every linearization, nothing else writes v (values are unique), and the
 * register never holds v again. Stale reads are chosen among the reads with such a value.
 */
function makeStaleReads(
  count: number, random: () => number, finished: readonly Pending[], epochs: ReadonlyMap<string, Epoch[]>, operations: Operation[],
): number[] {
  if (count === 0) return [];
  const reads = finished.filter((call) => call.f === 'read' && call.ending === 'ok');
  const chosen: number[] = [];
  const tried = new Set<number>();
  while (chosen.length < count && tried.size < reads.length) {
    const read = reads[Math.floor(random() * reads.length)]!;
    if (tried.has(read.invokeIndex)) continue;
    tried.add(read.invokeIndex);
    const stale = staleValue(epochs.get(read.key)!, read);
    if (stale === undefined) continue;
    const completion = operations.find((op) => op.type === 'ok' && op.process === read.process && op.index > read.invokeIndex)!;
    completion.value = [read.key, stale];
    chosen.push(read.invokeIndex);
  }
  if (chosen.length < count) throw new Error(`staleReads: only ${chosen.length} of ${count} reads could be made stale`);
  return chosen;
}

/** The most recent value that no linearization lets `read` see (see makeStaleReads), if any. */
function staleValue(epochs: readonly Epoch[], read: Pending): number | undefined {
  for (let i = epochs.length - 1; i >= 1; i--) {
    const { value, setBy, replacedBy } = epochs[i]!;
    if (replacedBy === undefined || setBy === undefined || value === null) continue;
    if (replacedBy.ending !== 'ok' || replacedBy.completeTimeNs >= read.invokeTimeNs) continue;
    const writerFirst = (setBy.ending === 'ok' && setBy.completeTimeNs < replacedBy.invokeTimeNs) ||
      (replacedBy.f === 'cas' && (replacedBy.input as [string, [unknown, unknown]])[1][0] === value);
    if (writerFirst) return value;
  }
  return undefined;
}

/** A binary heap of events by time; ties in the order pushed, so the history is deterministic. */
class EventQueue {
  private readonly heap: Event[] = [];
  private seq = 0;

  push(timeNs: number, kind: Event['kind'], client: number): void {
    const heap = this.heap;
    heap.push({ timeNs, seq: this.seq++, kind, client });
    let at = heap.length - 1;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!before(heap[at]!, heap[parent]!)) break;
      [heap[at], heap[parent]] = [heap[parent]!, heap[at]!];
      at = parent;
    }
  }

  pop(): Event | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    heap[0] = last;
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let smallest = at;
      if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === at) return top;
      [heap[at], heap[smallest]] = [heap[smallest]!, heap[at]!];
      at = smallest;
    }
  }
}

function before(a: Event, b: Event): boolean {
  return a.timeNs < b.timeNs || (a.timeNs === b.timeNs && a.seq < b.seq);
}
