/**
 * A run's workload is the system's, not the pipeline's: the system under test names what its
 * clients speak (SystemAdapter.workload) and the model its histories are judged with. Two exist:
 *  - `topics` (workload.ts): topic-metadata operations over a few names, judged per topic with
 *    the `topics` model; quorumd, in both worlds, and Kafka in both modes;
 *  - `register` (register-workload.ts): reads, writes and compare-and-sets on a few keys with
 *    unique values, judged per key with a keyed register model (`etcd-keyed` for etcd).
 * The pipeline sees one OperationSource either way: the generator draws from it, the recovery
 * probe writes through it, and the judge asks it which functions write. `reads: false` drops the
 * reads from the mix (`--read-mode none`).
 */
import { isReadFunction } from '../history/kafka-completion.js';
import type { RegisterFunction } from '../history/register-operations.js';
import type { WorkloadKind } from '../harness/systems/system-adapter.js';
import type { SeededRandom } from '../sim/random.js';
import { REGISTER_KEYS_DEFAULT, REGISTER_MIX_DEFAULT, RegisterWorkload, type RegisterInvocation, type RegisterMix } from './register-workload.js';
import { drawWorkload, nextOperation, type WorkloadConfig } from './workload.js';
import type { ClientCompletion, ClientOperation } from './world.js';

export const WORKLOAD_KINDS: readonly WorkloadKind[] = ['topics', 'register'];

/** What the run's clients do and how the history is judged: recorded in results.json's options. */
export interface WorkloadChoice {
  kind: WorkloadKind;
  /** The checker model (src/checker/models/index.ts) the history is judged with. */
  model: string;
  /** False: writes only (`--read-mode none`). */
  reads: boolean;
  /**
   * What the system promises of its reads in the run's read mode (harness/systems/read-promise.ts),
   * for a system chosen with --system: the verdict then says whether an invalid history is what
   * the system promises (its reads, not its writes, break linearizability) or a bug.
   */
  promise?: ReadPromiseNote;
}

export interface ReadPromiseNote {
  /** "etcd with serializable reads". */
  subject: string;
  linearizableReads: boolean;
  expected: string;
  bugs: string;
}

/** quorumd's workload, the simulator's only one. */
export const TOPICS_WORKLOAD: Readonly<WorkloadChoice> = Object.freeze({ kind: 'topics', model: 'topics', reads: true });

export interface RegisterWorkloadConfig {
  kind: 'register';
  keys: number;
  mix: RegisterMix;
}

/** The workload of a run's plan, drawn from the seed: pure data, saved with the plan. */
export type PlannedWorkload = WorkloadConfig | RegisterWorkloadConfig;

export function planWorkload(choice: WorkloadChoice, random: SeededRandom): PlannedWorkload {
  switch (choice.kind) {
    case 'topics':
      return drawWorkload(random, choice.reads);
    case 'register':
      return { kind: 'register', keys: REGISTER_KEYS_DEFAULT, mix: choice.reads ? { ...REGISTER_MIX_DEFAULT } : { read: 0, write: 0.5, cas: 0.5 } };
  }
}

/** Where a run's client operations come from (one per run: the register workload keeps state). */
export interface OperationSource {
  /** Slot `slot`'s next operation, drawn from `random` (the slot's own stream of the seed). */
  next(slot: number, random: SeededRandom): ClientOperation;
  /** What a completed operation showed its slot (a register cas expects what its slot last saw). */
  observe(slot: number, operation: ClientOperation, completion: ClientCompletion): void;
  /** The recovery probe's `attempt`-th write: a new topic, or a fresh value on the first key. */
  probe(attempt: number): ClientOperation;
  /** Whether a probe's completion acknowledged its write. */
  acknowledges(completion: ClientCompletion): boolean;
}

/**
 * The source of a planned workload. `servers`: nodes clients talk to; the register workload puts
 * that many consecutive slots on one key, so a key is worked on through every node where the
 * world spreads processes over nodes by number (etcd's adapter pins process p to node p mod n).
 */
export function operationSource(workload: PlannedWorkload, servers: number): OperationSource {
  if (workload.kind === 'topics') {
    return {
      next: (_slot, random) => nextOperation(workload, random),
      observe: () => {},
      probe: (attempt) => ({ f: 'create-topic', value: { name: `recovery-${attempt}`, partitions: 1 } }),
      acknowledges: (completion) => completion.type === 'ok' && (completion.value as { created?: unknown } | null)?.created === true,
    };
  }
  // Only the slots' own streams draw; the workload's default source is never used.
  const register = new RegisterWorkload(() => 0, { keys: workload.keys, workersPerKeyGroup: Math.max(1, servers), mix: workload.mix });
  return {
    next: (slot, random) => register.next(slot, () => random.nextFloat()),
    observe: (slot, operation, completion) => register.observe(slot, operation as RegisterInvocation, completion),
    probe: () => register.write(register.keyOf(0)),
    acknowledges: (completion) => completion.type === 'ok',
  };
}

const WRITES: Readonly<Record<WorkloadKind, ReadonlySet<string>>> = {
  topics: new Set(['create-topic', 'delete-topic', 'create-partitions', 'alter-config']),
  register: new Set<RegisterFunction>(['write', 'cas']),
};

/** Whether a function of a workload only reads (a stale answer is what non-linearizable reads may give). */
export function isReadOf(kind: WorkloadKind, f: string): boolean {
  return kind === 'register' ? f === 'read' : isReadFunction(f);
}

/** The functions of a workload that change state (for "no acknowledged write lost"). */
export function writeFunctions(kind: WorkloadKind): ReadonlySet<string> {
  return WRITES[kind];
}
