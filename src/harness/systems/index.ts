/**
 * The systems quorumcheck can test, by the name users type (`--system NAME`). Adding a system is
 * an adapter (system-adapter.ts) in a folder of its own and one line here.
 */
import { etcdSystem } from './etcd/etcd-system.js';
import { kafkaKraftSystem } from './kafka-kraft/kraft-system.js';
import { kafkaZkSystem } from './kafka-zk/zookeeper-mode-system.js';
import { quorumdSystem } from './quorumd/quorumd-system.js';
import type { SystemAdapter } from './system-adapter.js';

export const SYSTEMS: readonly SystemAdapter[] = [quorumdSystem, kafkaKraftSystem(), kafkaZkSystem(), etcdSystem()];

export function systemByName(name: string): SystemAdapter {
  const found = SYSTEMS.find((system) => system.name === name);
  if (found === undefined) {
    throw new RangeError(`unknown system '${name}'; known: ${SYSTEMS.map((system) => system.name).join(', ')}`);
  }
  return found;
}

export * from './system-adapter.js';
export { chooseSystem, type ChosenSystem, type SystemChoice, SystemChoiceError } from './system-choice.js';
