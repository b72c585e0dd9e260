/** Reading node event logs of a live test cluster (files may be mid-write: partial lines skipped). */
import { existsSync, readFileSync } from 'node:fs';
import type { NodeEvent } from '../../../src/history/node-event.js';

export function readEvents(path: string): NodeEvent[] {
  if (!existsSync(path)) return [];
  const events: NodeEvent[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.endsWith('}')) continue;
    try {
      events.push(JSON.parse(line) as NodeEvent);
    } catch {
      // A line being written right now; the next read sees it whole.
    }
  }
  return events;
}

/** The newest leader any node announced, by epoch: `became-leader` events. */
export function newestLeader(paths: readonly string[]): { nodeId: number; epoch: number } | undefined {
  let best: { nodeId: number; epoch: number } | undefined;
  for (const path of paths) {
    for (const event of readEvents(path)) {
      if (event.kind === 'became-leader' && (best === undefined || event.epoch > best.epoch)) best = { nodeId: event.node, epoch: event.epoch };
    }
  }
  return best;
}
