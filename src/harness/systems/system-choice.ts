/**
 * A system as a run asks for it: `--system NAME [--version V] [--read-mode M]`. The version picks
 * the release a reference system's image holds (quorumd is this checkout and has none); the read
 * mode says what a read is, in each system's own terms:
 * - quorumd, kafka-kraft, kafka-zk: `none` (the workload only writes), `any-broker` (reads through
 *   any broker: quorumd then answers from its cached image, `metadata.read.consistency=cached`;
 *   Kafka always does, from a cache that trails the controller), `controller` (quorumd's
 *   linearizable reads through the leader; Kafka has no such read, so it is refused);
 * - etcd: `linearizable` (quorum reads, the default) or `serializable` (the member's own store).
 * Everything wrong is named before anything starts.
 */
import { etcdSystem } from './etcd/etcd-system.js';
import { kafkaKraftSystem } from './kafka-kraft/kraft-system.js';
import { kafkaZkSystem } from './kafka-zk/zookeeper-mode-system.js';
import { quorumdSystem } from './quorumd/quorumd-system.js';
import { readPromise, type ReadPromise } from './read-promise.js';
import type { SystemAdapter, WorkloadKind } from './system-adapter.js';

export const KAFKA_READ_MODES = ['none', 'controller', 'any-broker'] as const;
export const ETCD_READ_MODES = ['linearizable', 'serializable'] as const;

export interface SystemChoice {
  version?: string;
  readMode?: string;
}

export interface ChosenSystem {
  system: SystemAdapter;
  /** The read mode in force (each system's default when none was asked). */
  readMode: string;
  /**
   * What a run's clients do: the system's workload, judged with its model; `reads` false for
   * read mode `none` (writes only).
   */
  workload: { kind: WorkloadKind; model: string; reads: boolean; promise: ReadPromise & { subject: string } };
  /** Server settings the read mode implies, added to the run's --node-config. */
  nodeConfig: Record<string, string>;
}

export class SystemChoiceError extends Error {
  readonly code = 'SYSTEM_CHOICE_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'SystemChoiceError';
  }
}

export function chooseSystem(name: string, choice: SystemChoice = {}): ChosenSystem {
  const chosen = chooseAdapter(name, choice);
  const { system, readMode } = chosen;
  // What the system promises of its reads in this mode goes with the workload: the judge says of
  // an invalid history whether it is what the system promises (expected) or a bug.
  const promise = { subject: `${system.name} with ${readMode === 'none' ? 'no' : readMode} reads`, ...readPromise(system.name, readMode) };
  return { ...chosen, workload: { kind: system.workload, model: system.model, reads: readMode !== 'none', promise } };
}

function chooseAdapter(name: string, choice: SystemChoice): Omit<ChosenSystem, 'workload'> {
  switch (name) {
    case 'quorumd': {
      if (choice.version !== undefined) throw new SystemChoiceError(`--version: quorumd is this checkout; it has no other version (got '${choice.version}')`);
      const readMode = kafkaReadMode(name, choice.readMode ?? 'controller');
      const consistency = readMode === 'any-broker' ? 'cached' : 'linearizable';
      return { system: quorumdSystem, readMode, nodeConfig: { 'metadata.read.consistency': consistency } };
    }
    case 'kafka-kraft':
    case 'kafka-zk': {
      const readMode = kafkaReadMode(name, choice.readMode ?? 'any-broker');
      if (readMode === 'controller') {
        throw new SystemChoiceError(`--read-mode controller: ${name} has no linearizable read; a Kafka broker answers Metadata from its cache, which trails the controller (use any-broker or none)`);
      }
      const version = choice.version === undefined ? {} : { version: choice.version };
      return { system: name === 'kafka-kraft' ? kafkaKraftSystem(version) : kafkaZkSystem(version), readMode, nodeConfig: {} };
    }
    case 'etcd': {
      const readMode = choice.readMode ?? 'linearizable';
      if (!(ETCD_READ_MODES as readonly string[]).includes(readMode)) {
        throw new SystemChoiceError(`--read-mode: etcd reads are ${ETCD_READ_MODES.join(' or ')}, got '${readMode}'`);
      }
      return {
        system: etcdSystem({ reads: readMode as (typeof ETCD_READ_MODES)[number], ...(choice.version === undefined ? {} : { version: choice.version }) }),
        readMode,
        nodeConfig: {},
      };
    }
    default:
      throw new SystemChoiceError(`unknown system '${name}'; known: quorumd, kafka-kraft, kafka-zk, etcd`);
  }
}

function kafkaReadMode(system: string, mode: string): (typeof KAFKA_READ_MODES)[number] {
  if (!(KAFKA_READ_MODES as readonly string[]).includes(mode)) {
    throw new SystemChoiceError(`--read-mode: ${system} reads are ${KAFKA_READ_MODES.join(', ')}, got '${mode}'`);
  }
  return mode as (typeof KAFKA_READ_MODES)[number];
}
