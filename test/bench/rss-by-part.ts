/**
 * Which part of a benchmark each node's resident memory peaked in: every SAMPLE_MS, each running
 * node process's VmRSS, the most seen kept per node and per part. VmHWM (peakRss) gives a
 * process's exact peak but not when, and not across a node's restarts; this gives where, to within
 * a sample (a spike shorter than SAMPLE_MS can be missed, so the peak sampled can be below VmHWM).
 */
import { readFile } from 'node:fs/promises';
import type { LocalCluster } from '../integration/support/local-cluster.js';
import type { ServerFigure } from './server-figures.js';

const SAMPLE_MS = 100;

export class RssByPart {
  private part = 'start-up';
  private readonly parts: string[] = [];
  /** part -> node id -> the most VmRSS seen, MiB. */
  private readonly peaks = new Map<string, Map<number, number>>();
  private readonly timer: NodeJS.Timeout;
  private sampling = false;

  constructor(private readonly cluster: LocalCluster) {
    this.enter(this.part);
    this.timer = setInterval(() => void this.sample(), SAMPLE_MS);
    this.timer.unref();
  }

  /** From now on, samples count towards `part`. */
  enter(part: string): void {
    this.part = part;
    if (!this.peaks.has(part)) {
      this.parts.push(part);
      this.peaks.set(part, new Map());
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Per node: the most resident memory sampled over the whole benchmark, with each part's peak in the note. */
  figures(targetMaxMiB?: number): ServerFigure[] {
    const nodeIds = [...new Set([...this.peaks.values()].flatMap((byNode) => [...byNode.keys()]))].sort((a, b) => a - b);
    return nodeIds.map((nodeId) => {
      const byPart = this.parts.map((part) => ({ part, mib: this.peaks.get(part)!.get(nodeId) })).filter((p) => p.mib !== undefined) as { part: string; mib: number }[];
      const top = byPart.reduce((a, b) => (b.mib > a.mib ? b : a));
      const figure: ServerFigure = {
        name: `node ${nodeId} peak RSS over the whole benchmark (sampled every ${SAMPLE_MS} ms)`, value: top.mib, unit: 'MiB',
        note: `highest in ${top.part}; by part: ${byPart.map((p) => `${p.part} ${p.mib.toFixed(0)}`).join(', ')} MiB`,
      };
      if (targetMaxMiB !== undefined) figure.targetMax = targetMaxMiB;
      return figure;
    });
  }

  private async sample(): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    const byNode = this.peaks.get(this.part)!;
    try {
      for (const node of this.cluster.nodes.values()) {
        const pid = node.process?.pid;
        if (pid === undefined) continue;
        const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
        const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
        if (match === null) continue;
        const mib = Number(match[1]) / 1024;
        if (mib > (byNode.get(node.nodeId) ?? 0)) byNode.set(node.nodeId, mib);
      }
    } finally {
      this.sampling = false;
    }
  }
}
