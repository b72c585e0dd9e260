/**
 * Collects a node's logs into the run directory: the container's standard output and error
 * (`container.log`) and everything under /var/log/quorumd, the node event stream included
 * (`events.jsonl`, read by the checker's invariants).
 */
import { execa } from 'execa';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { nodeLogDir } from './cluster-layout.js';
import type { StartedQuorumNode } from './started-quorum-node.js';

export interface CollectedNodeLogs {
  nodeId: number;
  dir: string;
  containerLogPath: string;
}

export async function collectNodeLogs(node: StartedQuorumNode, runDir: string): Promise<CollectedNodeLogs> {
  const dir = path.join(runDir, node.alias);
  await mkdir(dir, { recursive: true });
  const containerLogPath = path.join(dir, 'container.log');
  await writeFile(containerLogPath, await node.logs());
  const archive = await node.archive(nodeLogDir);
  // The archive holds the directory itself (quorumd/...): strip it so files land in dir.
  const extract = execa('tar', ['-x', '-C', dir, '--strip-components=1']);
  archive.pipe(extract.stdin);
  await extract;
  return { nodeId: node.nodeId, dir, containerLogPath };
}
