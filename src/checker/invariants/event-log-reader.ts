/**
 * Node event logs as files: one JSON object per line (src/history/node-event.ts). Real clusters
 * leave one file per node; `checkEventLogs` merges them by time and judges them with the same
 * InvariantChecker the simulator uses.
 */
import { readFile } from 'node:fs/promises';
import { NODE_EVENT_KINDS, type NodeEvent, type NodeEventKind } from '../../history/node-event.js';
import type { AcknowledgedWrite } from './acknowledged-writes.js';
import { InvariantChecker } from './invariant-checker.js';
import type { Violation } from './violation.js';

const KINDS: ReadonlySet<NodeEventKind> = new Set<NodeEventKind>(NODE_EVENT_KINDS);

/** Parse JSON-lines text; `source` names the file in errors. Blank lines are skipped. */
export function parseNodeEvents(text: string, source: string): NodeEvent[] {
  const events: NodeEvent[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      throw new Error(`${source}:${i + 1}: not JSON: ${(error as Error).message}`, { cause: error });
    }
    events.push(validateNodeEvent(parsed, `${source}:${i + 1}`));
  }
  return events;
}

export function validateNodeEvent(value: unknown, where: string): NodeEvent {
  if (typeof value !== 'object' || value === null) throw new Error(`${where}: a node event must be an object`);
  const event = value as Record<string, unknown>;
  for (const field of ['timeNs', 'node', 'epoch'] as const) {
    if (typeof event[field] !== 'number' || !Number.isFinite(event[field])) {
      throw new Error(`${where}: field '${field}' must be a number, got ${JSON.stringify(event[field])}`);
    }
  }
  if (typeof event.kind !== 'string' || !KINDS.has(event.kind as NodeEventKind)) {
    throw new Error(`${where}: unknown event kind ${JSON.stringify(event.kind)}`);
  }
  return value as NodeEvent;
}

export async function readNodeEventLog(path: string): Promise<NodeEvent[]> {
  return parseNodeEvents(await readFile(path, 'utf8'), path);
}

/** Merge per-node streams by time; ties keep file order, so one node's own order is preserved. */
export function mergeByTime(streams: readonly (readonly NodeEvent[])[]): NodeEvent[] {
  const tagged = streams.flatMap((stream, streamIndex) =>
    stream.map((event, position) => ({ event, streamIndex, position })));
  tagged.sort((a, b) => a.event.timeNs - b.event.timeNs || a.streamIndex - b.streamIndex || a.position - b.position);
  return tagged.map(({ event }) => event);
}

export async function checkEventLogs(
  paths: readonly string[],
  voters: readonly number[],
  acknowledgedWrites: readonly AcknowledgedWrite[] = [],
): Promise<Violation[]> {
  const streams = await Promise.all(paths.map((path) => readNodeEventLog(path)));
  const checker = new InvariantChecker({ voters });
  for (const event of mergeByTime(streams)) checker.observe(event);
  return checker.finish(acknowledgedWrites);
}
