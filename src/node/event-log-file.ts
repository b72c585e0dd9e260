/**
 * The node's event log: every CoreEvent of every `ready.events`, stamped with `timeNs` and
 * `node`, one JSON object per line, appended and handed to the kernel at once (no user-space
 * buffer), so a killed node's file still holds every event it emitted. The harness reads these
 * files to check the Raft invariants on real clusters.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CoreEvent } from '../core/host-interface.js';
import type { NodeEvent } from '../history/node-event.js';

export class EventLogFile {
  private fd: number | null;

  constructor(readonly path: string, private readonly nodeId: number) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'a', 0o644);
  }

  append(events: readonly CoreEvent[], timeNs: number): void {
    if (events.length === 0 || this.fd === null) return;
    let text = '';
    for (const event of events) {
      const stamped: NodeEvent = { timeNs, node: this.nodeId, ...event };
      text += `${JSON.stringify(stamped)}\n`;
    }
    writeSync(this.fd, text);
  }

  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }
}
