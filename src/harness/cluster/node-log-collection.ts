/**
 * Reading a node's logs out of its container: its standard output and error (the node log) and
 * its event log file. A running node's file is read through the fault access path (with nsenter,
 * straight from /proc/<pid>/root); a stopped one's through the Engine API's archive, which works
 * on stopped containers too.
 */
import { execa } from 'execa';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { StartedQuorumNode } from './started-quorum-node.js';

/** What was read of one node; `missing` says what could not be read and why. */
export interface NodeLogTexts {
  nodeId: number;
  /** The container's output, or null if it could not be read. */
  output: string | null;
  /** The event log's text, or null (none asked for, or it could not be read). */
  events: string | null;
  missing: string | null;
}

export interface CollectedNodeLogs {
  nodeId: number;
  /** Paths of the files written (null when that log was not read). */
  logPath: string | null;
  eventsPath: string | null;
  missing: string | null;
}

export async function readNodeLogTexts(node: StartedQuorumNode, eventLogPath: string | null): Promise<NodeLogTexts> {
  const problems: string[] = [];
  const output = await node.logs().catch((error: unknown) => {
    problems.push(`the output of node ${node.nodeId} could not be read: ${String(error)}`);
    return null;
  });
  const events = eventLogPath === null ? null : await node.readFile(eventLogPath).catch((error: unknown) => {
    problems.push(`the event log ${eventLogPath} of node ${node.nodeId} could not be read: ${String(error)}`);
    return null;
  });
  return { nodeId: node.nodeId, output, events, missing: problems.length === 0 ? null : problems.join('; ') };
}

/** Writes `nodes/<id>.log` and `nodes/<id>.events.jsonl` under `runDir`, as the run directory lays them out. */
export async function writeNodeLogTexts(texts: NodeLogTexts, runDir: string): Promise<CollectedNodeLogs> {
  const dir = path.join(runDir, 'nodes');
  await mkdir(dir, { recursive: true });
  const logPath = texts.output === null ? null : path.join(dir, `${texts.nodeId}.log`);
  const eventsPath = texts.events === null ? null : path.join(dir, `${texts.nodeId}.events.jsonl`);
  if (logPath !== null) await writeFile(logPath, texts.output as string);
  if (eventsPath !== null) await writeFile(eventsPath, texts.events as string);
  return { nodeId: texts.nodeId, logPath, eventsPath, missing: texts.missing };
}

/** One file out of a tar stream of the Engine API's archive (the archive holds the file by its base name). */
export async function fileFromArchive(archive: NodeJS.ReadableStream): Promise<string> {
  const extract = execa('tar', ['-x', '-O'], { encoding: 'utf8', stripFinalNewline: false });
  archive.pipe(extract.stdin);
  return (await extract).stdout;
}
