/**
 * Notices a node that exits on its own: a crash of the system under test, which a run must
 * report rather than mistake for a fault it injected. It follows the engine's `die` events for
 * the run's containers; exits the harness caused (kill, stop, removal, the Ctrl-C hook's removal
 * of the whole run) are marked beforehand and pass silently.
 */
import { getContainerRuntimeClient } from 'testcontainers';
import { removedOnExit, runLabel } from '../docker/resource-labels.js';
import type { StartedQuorumCluster } from './started-quorum-cluster.js';

export interface NodeExit {
  nodeId: number;
  exitCode: number;
}

export async function watchUnexpectedExits(cluster: StartedQuorumCluster, onExit: (exit: NodeExit) => void): Promise<{ stop(): void }> {
  const client = await getContainerRuntimeClient();
  const stream = await client.container.dockerode.getEvents({
    filters: { type: ['container'], event: ['die'], label: [`${runLabel}=${cluster.runId}`] },
  }) as NodeJS.ReadableStream & { destroy?: () => void };
  let pending = '';
  stream.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString('utf8')).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      const event = JSON.parse(line) as { id?: string; Actor?: { Attributes?: Record<string, string> } };
      const node = cluster.nodes.find((candidate) => candidate.containerId === event.id);
      // A Ctrl-C removes every container at once: those exits are ours too.
      if (node === undefined || node.exitExpected || removedOnExit(cluster.runId)) continue;
      onExit({ nodeId: node.nodeId, exitCode: Number(event.Actor?.Attributes?.exitCode ?? -1) });
    }
  });
  stream.on('error', () => {}); // the engine closing the stream at shutdown is not a finding
  return { stop: () => stream.destroy?.() };
}
