/**
 * quorumd at KRaft's scale: 3 combined nodes on loopback loaded with topics of 10,000 partitions
 * (KRaft's bound on partitions per write) until they hold 1,000,000 (`recovery`) or 2,000,000
 * (`scale-2m`, Kafka's figure; QUORUMD_BENCH_SCALE_TOPICS=20 makes it a quick 200,000) partitions,
 * with a snapshot every 20 log entries (or 200,000 records, the server's default). Figures:
 * - peak RSS of every node while holding them, and of the restarted node (target < 512 MiB at 2M),
 *   and over the whole benchmark with the part it peaked in (rss-by-part.ts);
 * - how long the nodes' background snapshot writes blocked their event loop: the longest slice a
 *   writer ran without yielding, and the event loop's largest delay while a write ran (which also
 *   counts everything else the node did, and the machine's other load), from the nodes' log lines;
 *   the benchmark process's own largest event-loop delay over the load is printed as a control of
 *   how much a loaded machine delays any process;
 * - restart after kill -9 of a follower until it answers Metadata for the newest topic itself
 *   (target < 10 s), twice: the plain restart (the follower caught up with the leader before the
 *   kill: its own snapshot and log tail), then the slow path, where the follower is behind and
 *   must fetch the leader's snapshot: while it is down, BEHIND_BIG_TOPICS topics of 10,000
 *   partitions (more records than the log the leader keeps behind a snapshot, 50,000 by default)
 *   and BEHIND_SMALL_TOPICS one-partition topics (enough entries for a snapshot past them) are
 *   created, and it restarts once the leader's snapshot of them is durable. Each says whether the
 *   follower installed a fetched snapshot, and its peak RSS since the restart (target < 512 MiB),
 *   and whether the leader fenced its old incarnation meanwhile (oldIncarnationFencing: a race with
 *   the old broker session's expiry that decides most of the time);
 * - controlled shutdown (SIGTERM) of a broker that is not the active controller and leads about a
 *   third of the partitions, until every partition it led has another leader in the Metadata a
 *   survivor answers (target < 5 s), and until its process exited.
 * The nodes run from the built dist/ (server-figures.ts: BUILT_NODES). QUORUMD_BENCH_SCALE_SKIP
 * names parts to leave out, comma-separated (metadata, shutdown, restart, behind): `shutdown`
 * alone measures the restarts without the controlled shutdown's up to two minutes before them.
 * Options for the restarts:
 * - QUORUMD_BENCH_SCALE_PIECE_BYTES=N: the FetchSnapshot piece size
 *   (`controller.quorum.fetch.snapshot.max.bytes`, default 1 MiB);
 * - QUORUMD_BENCH_SCALE_WRITES_DURING=1: a client keeps creating one-partition topics (one request
 *   every 100 ms) while the follower restarts, so the leader keeps taking snapshots meanwhile (a
 *   snapshot every 20 entries), as it would under load.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseNodeLogLine } from '../../src/history/node-log-line.js';
import { createTopicsApi } from '../../src/kafka/apis/create-topics/index.js';
import { metadataApi } from '../../src/kafka/apis/metadata/index.js';
import { KafkaClientConnection } from '../../src/kafka/client/kafka-client-connection.js';
import { LocalCluster, waitFor } from '../integration/support/local-cluster.js';
import { leaderRebuildFigures } from './leader-rebuild-bench.js';
import { RssByPart } from './rss-by-part.js';
import { assertBuilt, BUILT_NODES, DEFAULT_TIMEOUTS, NODE_ARGS, nodeCpuMs, peakRss, type ServerBenchmark, type ServerFigure } from './server-figures.js';

const PARTITIONS_PER_TOPIC = 10_000;
const SCALE_PARTS = ['metadata', 'shutdown', 'restart', 'behind'] as const;
/** The slow path's writes while the follower is down (see the header). */
const BEHIND_BIG_TOPICS = 6;
const BEHIND_SMALL_TOPICS = 20;
const RSS_TARGET_MIB = 512;

export const SCALE_BENCHMARKS: ServerBenchmark[] = [
  {
    name: 'recovery', run: () => scaleFigures(100),
    summary: 'restart of a node whose metadata log holds 1,000,000 partitions (snapshots on), peak RSS, snapshot blocking',
  },
  {
    name: 'scale-2m', run: () => scaleFigures(Number(process.env.QUORUMD_BENCH_SCALE_TOPICS ?? 200)),
    summary: '2,000,000 partitions on 3 nodes: peak RSS, snapshot blocking, restart after kill -9',
  },
  {
    name: 'leader-rebuild', run: leaderRebuildFigures,
    summary: 'a new leader whose log holds a 1,000,000-partition fencing it never saw committed: longest input, check-quorum resignations (in one process)',
  },
];

async function scaleFigures(topics: number): Promise<ServerFigure[]> {
  const partitions = topics * PARTITIONS_PER_TOPIC;
  const label = partitions.toLocaleString('en');
  const skip = new Set((process.env.QUORUMD_BENCH_SCALE_SKIP ?? '').split(',').map((p) => p.trim()).filter((p) => p !== ''));
  for (const part of skip) {
    if (!(SCALE_PARTS as readonly string[]).includes(part)) throw new Error(`QUORUMD_BENCH_SCALE_SKIP names ${part}, not one of ${SCALE_PARTS.join(', ')}`);
  }
  await assertBuilt();
  const cluster = await LocalCluster.start({
    controllers: 3,
    properties: {
      ...DEFAULT_TIMEOUTS, 'metadata.snapshot.interval.entries': '20',
      ...(process.env.QUORUMD_BENCH_SCALE_PIECE_BYTES ? { 'controller.quorum.fetch.snapshot.max.bytes': process.env.QUORUMD_BENCH_SCALE_PIECE_BYTES } : {}),
    },
    nodeArgs: NODE_ARGS, built: BUILT_NODES,
  });
  const rss = new RssByPart(cluster);
  try {
    rss.enter('creating topics');
    const control = monitorEventLoopDelay({ resolution: 10 });
    control.enable();
    const { seconds: loadSeconds, timedOut } = await createBigTopics(cluster, topics);
    control.disable();
    const holding = await peakRss(cluster, `holding ${label} partitions`, partitions >= 2_000_000 ? RSS_TARGET_MIB : undefined);
    for (const figure of holding) figure.note = memoryNote(cluster, figure.name);
    const snapshots = snapshotFigures(cluster, control.max / 1e6);
    // Controlled shutdown first, while leadership is spread evenly (a broker restarted later comes
    // back leading nothing: leaders do not move back to it).
    rss.enter('Metadata of every topic');
    const metadata = skip.has('metadata') ? [] : await guarded(cluster, 'Metadata of every topic', () => metadataOfEveryTopic(cluster));
    rss.enter('controlled shutdown');
    const shutdown = skip.has('shutdown') ? [] : await guarded(cluster, 'controlled shutdown', () => controlledShutdownFigures(cluster, topics));
    const loadNote = `creating the ${topics} topics took ${loadSeconds.toFixed(1)} s, ${timedOut} request(s) timed out and were asked again; ` +
      `nodes run from ${BUILT_NODES ? 'dist/' : 'src/ through tsx'}`;
    rss.enter('restart');
    const restart = skip.has('restart') ? []
      : await guarded(cluster, `restart recovery, ${label} partitions`, () => restartFigures(cluster, `big-${topics - 1}`, label, loadNote, null));
    rss.enter('restart behind the snapshot');
    const behind = skip.has('behind') ? []
      : await guarded(cluster, `restart recovery behind the leader's snapshot, ${label} partitions`,
        () => restartFigures(cluster, `behind-${BEHIND_SMALL_TOPICS - 1}`, label, loadNote, { bigTopics: BEHIND_BIG_TOPICS, smallTopics: BEHIND_SMALL_TOPICS }));
    const afterRestart = await peakRss(cluster, 'after the restarts', partitions >= 2_000_000 ? RSS_TARGET_MIB : undefined);
    rss.stop();
    const byPart = rss.figures(partitions >= 2_000_000 ? RSS_TARGET_MIB : undefined);
    return [...restart, ...behind, ...shutdown, ...metadata, ...holding, ...snapshots, ...afterRestart, ...byPart];
  } finally {
    rss.stop();
    await cluster.stop();
  }
}

/**
 * Runs one part of the benchmark; a part that fails becomes a figure saying so, with every node's
 * output written to a file it names, and the nodes stopped by it are started again so the parts
 * after it still run on three nodes.
 */
async function guarded(cluster: LocalCluster, name: string, part: () => Promise<ServerFigure[]>): Promise<ServerFigure[]> {
  try {
    return await part();
  } catch (error) {
    const file = join(tmpdir(), `quorumd-scale-bench-${Date.now()}.log`);
    await writeFile(file, `${(error as Error).message}\n\n${cluster.outputs()}`);
    for (const node of cluster.nodes.values()) if (node.process === null) await cluster.startNode(node.nodeId);
    await cluster.waitUntilReady(120_000).catch(() => undefined);
    return [{ name, value: NaN, unit: 'ms', note: `failed: ${(error as Error).message.split('\n')[0]} (node output in ${file}); load average ${loadavg()[0]!.toFixed(1)}` }];
  }
}

const REQUEST_TIMED_OUT = 7;
const TOPIC_ALREADY_EXISTS = 36;
/** Attempts per topic: an answer REQUEST_TIMED_OUT may still take effect, so it is asked again. */
const CREATE_ATTEMPTS = 5;

/**
 * One 10,000-partition topic per request, `big-0` .. `big-<topics - 1>`; returns the seconds taken
 * and how many requests timed out (asked again: on a loaded machine a node can miss the answer's
 * deadline, and an election can drop a write in flight; TOPIC_ALREADY_EXISTS then means it took).
 */
async function createBigTopics(cluster: LocalCluster, topics: number): Promise<{ seconds: number; timedOut: number }> {
  const [host, port] = cluster.bootstrapServers[0]!.split(':') as [string, string];
  const connection = await KafkaClientConnection.connect({ host, port: Number(port) });
  const startedMs = performance.now();
  let timedOut = 0;
  try {
    for (let t = 0; t < topics; t++) {
      const batch = [{ name: `big-${t}`, numPartitions: PARTITIONS_PER_TOPIC, replicationFactor: 3, assignments: [], configs: [] }];
      for (let attempt = 1; ; attempt++) {
        const response = await connection.request(createTopicsApi, 3, { topics: batch, timeoutMs: 120_000, validateOnly: false });
        const answer = response.topics[0]!;
        if (answer.errorCode === 0 || (attempt > 1 && answer.errorCode === TOPIC_ALREADY_EXISTS)) break;
        if (answer.errorCode === REQUEST_TIMED_OUT && attempt < CREATE_ATTEMPTS) {
          timedOut++;
          continue;
        }
        const file = join(tmpdir(), `quorumd-scale-bench-${Date.now()}.log`);
        await writeFile(file, cluster.outputs());
        throw new Error(`creating ${answer.name} failed with error ${answer.errorCode} (attempt ${attempt}): ${answer.errorMessage} (node output in ${file})`);
      }
    }
  } finally {
    await connection.close();
  }
  return { seconds: (performance.now() - startedMs) / 1000, timedOut };
}

const SNAPSHOT_LINE = /Wrote snapshot (\S+) \((\d+) bytes\) in (\d+) ms in the background; longest slice ([\d.]+) ms \(([\d.]+) ms of CPU; most CPU in a slice ([\d.]+) ms\), event loop delay max ([\d.]+) ms(?:; (\d+) slices, (\d+) over)?/g;
const SLICE_TARGET_MS = 50;

/**
 * The nodes' background snapshot writes, from their log lines. The slice figure is wall time, so
 * on a shared machine it also counts waiting for a core: its note gives that slice's CPU time,
 * the most CPU time of any slice, how many slices in all went over the target, and the load.
 */
function snapshotFigures(cluster: LocalCluster, controlDelayMaxMs: number): ServerFigure[] {
  const writes = [...cluster.nodes.values()].flatMap((node) => [...node.output.join('').matchAll(SNAPSHOT_LINE)].map((m) => ({
    node: node.nodeId, bytes: Number(m[2]), durationMs: Number(m[3]), sliceMs: Number(m[4]), sliceCpuMs: Number(m[5]), mostCpuMs: Number(m[6]), delayMs: Number(m[7]),
    slices: m[8] === undefined ? NaN : Number(m[8]), over: m[9] === undefined ? NaN : Number(m[9]),
  })));
  if (writes.length === 0) return [{ name: 'snapshots written in the background', value: 0, unit: 'snapshots', note: 'no "Wrote snapshot" line in any node\'s output' }];
  const largest = writes.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const longestSlice = writes.reduce((a, b) => (b.sliceMs > a.sliceMs ? b : a));
  const longestDelay = writes.reduce((a, b) => (b.delayMs > a.delayMs ? b : a));
  const mostCpu = writes.reduce((a, b) => (b.mostCpuMs > a.mostCpuMs ? b : a));
  const slices = writes.reduce((sum, w) => sum + w.slices, 0);
  const over = writes.reduce((sum, w) => sum + w.over, 0);
  const load = `load average ${loadavg()[0]!.toFixed(1)}`;
  return [
    { name: 'snapshots written in the background', value: writes.length, unit: 'snapshots',
      note: `largest ${(largest.bytes / 2 ** 20).toFixed(1)} MiB in ${largest.durationMs} ms (node ${largest.node}); ${load}` },
    { name: 'snapshot write: longest slice without yielding the event loop (wall)', value: longestSlice.sliceMs, unit: 'ms', targetMax: SLICE_TARGET_MS,
      note: `node ${longestSlice.node}, while writing ${(longestSlice.bytes / 2 ** 20).toFixed(1)} MiB; ${longestSlice.sliceCpuMs.toFixed(1)} ms of it on a CPU ` +
        `(the rest waiting for one, or for the process's other threads); ${over} of ${slices} slices of all writes over ${SLICE_TARGET_MS} ms; ${load}` },
    { name: 'snapshot write: most CPU time in one slice (process-wide: GC and I/O threads count too)', value: mostCpu.mostCpuMs, unit: 'ms',
      note: `node ${mostCpu.node}, while writing ${(mostCpu.bytes / 2 ** 20).toFixed(1)} MiB` },
    { name: 'snapshot write: largest event-loop delay while it ran (all causes)', value: longestDelay.delayMs, unit: 'ms',
      note: `node ${longestDelay.node}; control: the benchmark process's own largest event-loop delay during the load, ${controlDelayMaxMs.toFixed(0)} ms` },
  ];
}

const MEMORY_PART = /memory rss ([\d.]+) MiB, heap ([\d.]+) of ([\d.]+) MiB, external ([\d.]+) MiB \(array buffers ([\d.]+) MiB\)/g;

/**
 * Where a node's memory went, from its snapshot lines (each gives the process's memory as the write
 * ended): the largest V8 heap total and external memory seen, and the last line's breakdown.
 */
function memoryNote(cluster: LocalCluster, figureName: string): string {
  const nodeId = Number(/^node (\d+) /.exec(figureName)?.[1]);
  const node = cluster.nodes.get(nodeId);
  if (node === undefined) return '';
  const seen = [...node.output.join('').matchAll(MEMORY_PART)].map((m) => m.slice(1).map(Number));
  const last = seen.at(-1);
  if (last === undefined) return 'no memory breakdown in its snapshot lines';
  const max = (i: number): string => Math.max(...seen.map((m) => m[i]!)).toFixed(0);
  return `as its last snapshot write ended: rss ${last[0]!.toFixed(0)} MiB, V8 heap ${last[1]!.toFixed(0)} used of ${last[2]!.toFixed(0)} MiB, ` +
    `external ${last[3]!.toFixed(0)} MiB (array buffers ${last[4]!.toFixed(0)}); over its ${seen.length} snapshot writes at most ` +
    `rss ${max(0)}, heap used ${max(1)}, heap total ${max(2)}, external ${max(3)} MiB`;
}

/** quorum-server.ts's line once the store is read and the image rebuilt. */
const RECOVERED_LINE = /Recovered .* in (\d+) ms, rebuilt .* in (\d+) ms/g;

/** What the slow path creates while the follower is down. */
interface Behind {
  bigTopics: number;
  smallTopics: number;
}

const SNAPSHOT_IN_PLACE = /Snapshot at end offset (\d+) \(epoch \d+\) is in place; log start offset is (\d+)/g;
const WROTE_SNAPSHOT = /Wrote snapshot (\d+)-\d+\.checkpoint/g;

/**
 * kill -9 of a follower caught up with the leader, restart, until its own Metadata answers
 * `newest`. With `behind`, topics are created while it is down (see the header) and it restarts
 * once the leader's snapshot past them is durable, so it must fetch that snapshot.
 */
async function restartFigures(cluster: LocalCluster, newest: string, label: string, loadNote: string, behind: Behind | null): Promise<ServerFigure[]> {
  const report = await cluster.waitUntilReady(60_000);
  const leader = report.quorum.leaderId;
  const victim = [...cluster.nodes.keys()].find((id) => id !== leader)!;
  // Caught up first: whether the restart fetches a snapshot is then up to this part, not to how
  // far behind the earlier parts left the victim (waitUntilReady does not wait for followers).
  await cluster.waitUntilCaughtUp(victim, Date.now(), 120_000);
  const survivorOutputBefore = [...cluster.nodes.keys()].filter((id) => id !== victim).map((id) => [id, cluster.node(id).output.length] as const);
  await cluster.kill(victim);
  let behindNote = '';
  if (behind !== null) {
    const wroteBefore = wroteSnapshots(cluster, leader).length;
    const createdMs = performance.now();
    await createTopics(cluster, leader, Array.from({ length: behind.bigTopics }, (_, i) => ({ name: `behind-big-${i}`, partitions: PARTITIONS_PER_TOPIC })));
    await createTopics(cluster, leader, Array.from({ length: behind.smallTopics }, (_, i) => ({ name: `behind-${i}`, partitions: 1 })));
    const logEnd = (await cluster.describe([victim]))?.quorum.highWatermark ?? 0n;
    // The leader's snapshot past them, durable (its background write done), so it is served.
    await waitFor(async () => (wroteSnapshots(cluster, leader).slice(wroteBefore).some((end) => BigInt(end) >= logEnd - 20n) ? true : null), 120_000,
      () => `the leader wrote no snapshot past offset ${logEnd - 20n} within 120 s\n${cluster.outputs()}`);
    behindNote = `${behind.bigTopics} topics of ${PARTITIONS_PER_TOPIC.toLocaleString('en')} partitions and ${behind.smallTopics} of one created while it was down ` +
      `(${((performance.now() - createdMs) / 1000).toFixed(1)} s, up to its snapshot); `;
  }
  const outputBefore = cluster.node(victim).output.length;
  const during = writesDuring(cluster, victim);
  const restartedMs = performance.now();
  const restartedWallMs = Date.now();
  await cluster.startNode(victim);
  // Its Kafka port answering at all is the process start-up (and the snapshot's load, which comes
  // before the listeners open), the baseline.
  await waitFor(async () => ((await topicOnNode(cluster.node(victim).brokerPort!, 'none')) !== null ? true : null), 120_000,
    () => `node ${victim} did not listen within 120 s\n${cluster.outputs()}`);
  const listeningSeconds = (performance.now() - restartedMs) / 1000;
  // The log applies in order, so the newest topic answered by the node itself means all are back.
  // (Asking for every topic would make each probe a response of every partition.)
  await waitFor(async () => ((await topicOnNode(cluster.node(victim).brokerPort!, newest)) === 0 ? true : null), 120_000,
    () => `node ${victim} did not recover within 120 s\n${cluster.outputs()}`);
  const recoverySeconds = (performance.now() - restartedMs) / 1000;
  const written = await during.stop();
  // CPU time the restarted process used until then: what the restart costs, less the time it
  // spent waiting for a CPU on a shared machine (its wall time can be several times more).
  const cpuMs = (await nodeCpuMs(cluster)).get(victim);
  const victimRss = (await peakRss(cluster, 'since its restart')).find((f) => f.name.startsWith(`node ${victim} `));
  const output = cluster.node(victim).output.slice(outputBefore).join('');
  const recovered = [...output.matchAll(RECOVERED_LINE)].at(-1);
  const recoveredNote = recovered === undefined ? 'no "Recovered" line in its output'
    : `it read the disk in ${recovered[1]} ms and rebuilt the image in ${recovered[2]} ms`;
  // A fetched snapshot replaces the log, which then starts at its end; a local one keeps log behind it.
  const installs = [...output.matchAll(SNAPSHOT_IN_PLACE)].filter((m) => m[1] === m[2]).map((m) => Number(m[1]));
  const installNote = installs.length === 0 ? 'it fetched no snapshot (caught up from the log)' : `it installed the leader's snapshot at ${installs.join(', ')}`;
  // Where the wall time before listening went: Node.js and the modules until the first log line
  // (the clock anchor), then storage until the node says it started.
  const lines = output.split('\n').map(parseNodeLogLine).filter((l) => l !== null);
  const firstLineS = lines.length === 0 ? NaN : (lines[0]!.wallMs - restartedWallMs) / 1000;
  const started = lines.find((l) => l.message.startsWith('Started node'));
  const startedS = started === undefined ? NaN : (started.wallMs - restartedWallMs) / 1000;
  const fenceNote = oldIncarnationFencing(cluster, victim, survivorOutputBefore, restartedWallMs);
  const name = behind === null ? `restart recovery, ${label} partitions` : `restart recovery behind the leader's snapshot, ${label} partitions`;
  return [{
    name, value: recoverySeconds * 1000, unit: 'ms', targetMax: 10_000,
    note: `node ${victim} caught up, killed -9 and restarted; ${behindNote}until its own Metadata answers ${newest}; ${installNote}; ` +
      `${written === null ? '' : `${written} topics created while it restarted; `}(first log line after ${firstLineS.toFixed(1)} s, ` +
      `node started after ${startedS.toFixed(1)} s, listening after ${listeningSeconds.toFixed(1)} s; ` +
      `${recoveredNote}; ${fenceNote}; the process used ${cpuMs === undefined ? '?' : (cpuMs / 1000).toFixed(1)} s of CPU by then; ` +
      `${loadNote}); load average ${loadavg()[0]!.toFixed(1)}`,
  }, ...(victimRss === undefined ? [] : [{ ...victimRss, name: `${name}: ${victimRss.name}`, targetMax: RSS_TARGET_MIB }])];
}

/**
 * Whether the leader fenced the victim's old incarnation while this part ran, and when. A broker
 * restarted after kill -9 is refused registration until its old session expires (up to
 * broker.session.timeout.ms after its last heartbeat), and the fencing that follows rewrites the ISR
 * of every partition: at 2M partitions 2,000,000 records, a snapshot on every node every 200,000.
 * A restart that overlaps it installs the leader's snapshot several times and takes 10-15 s against
 * 2.6-3.7 s without it (same commit, minutes apart), so the two are told apart here and never
 * compared as one figure. Which one a run gets is a race with the session's expiry.
 */
function oldIncarnationFencing(cluster: LocalCluster, victim: number, outputBefore: (readonly [number, number])[], restartedWallMs: number): string {
  const fenced = new RegExp(`^Fenced broker ${victim}$`);
  for (const [id, length] of outputBefore) {
    const line = cluster.node(id).output.slice(length).join('').split('\n').map(parseNodeLogLine)
      .find((entry) => entry !== null && fenced.test(entry.message));
    if (line !== undefined && line !== null) {
      return `its old incarnation was fenced during this part (node ${id} applied it ${((line.wallMs - restartedWallMs) / 1000).toFixed(1)} s ` +
        'after the restart): the restart overlapped that fencing';
    }
  }
  return 'its old incarnation was not fenced during this part';
}

/** End offsets of the snapshots `nodeId` wrote in the background, in order. */
function wroteSnapshots(cluster: LocalCluster, nodeId: number): number[] {
  return [...cluster.node(nodeId).output.join('').matchAll(WROTE_SNAPSHOT)].map((m) => Number(m[1]));
}

/** Creates `topics` one request each through node `via`, replication factor 1 for small ones. */
async function createTopics(cluster: LocalCluster, via: number, topics: { name: string; partitions: number }[]): Promise<void> {
  const connection = await KafkaClientConnection.connect({ host: '127.0.0.1', port: cluster.node(via).brokerPort! });
  try {
    for (const topic of topics) {
      for (let attempt = 1; ; attempt++) {
        const replicationFactor = topic.partitions === 1 ? 1 : 2;
        const response = await connection.request(createTopicsApi, 3, {
          topics: [{ name: topic.name, numPartitions: topic.partitions, replicationFactor, assignments: [], configs: [] }], timeoutMs: 120_000, validateOnly: false,
        });
        const answer = response.topics[0]!;
        if (answer.errorCode === 0 || (attempt > 1 && answer.errorCode === TOPIC_ALREADY_EXISTS)) break;
        if (answer.errorCode !== REQUEST_TIMED_OUT || attempt >= CREATE_ATTEMPTS) {
          throw new Error(`creating ${topic.name} failed with error ${answer.errorCode} (attempt ${attempt}): ${answer.errorMessage}`);
        }
      }
    }
  } finally {
    await connection.close();
  }
}

/** QUORUMD_BENCH_SCALE_WRITES_DURING=1: one-partition topics created every 100 ms until stopped; `stop` gives how many (null when off). */
function writesDuring(cluster: LocalCluster, victim: number): { stop(): Promise<number | null> } {
  if (process.env.QUORUMD_BENCH_SCALE_WRITES_DURING !== '1') return { stop: async () => null };
  let writing = true;
  const survivor = [...cluster.nodes.keys()].find((id) => id !== victim)!;
  const done = (async () => {
    let n = 0;
    while (writing) {
      await createTopics(cluster, survivor, [{ name: `during-${Date.now()}-${n++}`, partitions: 1 }]);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return n;
  })();
  return { stop: async () => { writing = false; return done; } };
}

/** A Metadata request for every topic (kafkajs' fetchTopicMetadata() without topics): time, size, the node's RSS. */
async function metadataOfEveryTopic(cluster: LocalCluster): Promise<ServerFigure[]> {
  const node = [...cluster.nodes.values()][0]!;
  const rssBefore = await residentMiB(node.process!.pid!);
  const connection = await KafkaClientConnection.connect({ host: '127.0.0.1', port: node.brokerPort!, connectTimeoutMs: 1000 });
  try {
    const startedMs = performance.now();
    const response = await connection.request(metadataApi, 6, { topics: null, allowAutoTopicCreation: false });
    const tookMs = performance.now() - startedMs;
    const partitions = response.topics.reduce((sum, topic) => sum + topic.partitions.length, 0);
    const peak = (await peakRss(cluster, 'after a Metadata of every topic')).find((f) => f.name.startsWith(`node ${node.nodeId} `));
    return [{
      name: 'Metadata of every topic, answered by one node', value: tookMs, unit: 'ms',
      note: `${response.topics.length} topics, ${partitions.toLocaleString('en')} partitions; node ${node.nodeId} resident ${rssBefore.toFixed(0)} MiB ` +
        `before, peak ${peak?.value.toFixed(0) ?? '?'} MiB since start; load average ${loadavg()[0]!.toFixed(1)}`,
    }];
  } finally {
    await connection.close();
  }
}

async function residentMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return match === null ? NaN : Number(match[1]) / 1024;
}

/**
 * SIGTERM of a broker that is not the active controller, timed until a survivor's Metadata shows a
 * new leader for every partition it led. The controller moves them in batches, topics in name
 * order, so the newest batch holds the last topic by name: once that topic has moved, every topic
 * has; one full pass over all topics then checks it.
 */
async function controlledShutdownFigures(cluster: LocalCluster, topics: number): Promise<ServerFigure[]> {
  const report = await cluster.waitUntilReady(60_000);
  const victim = [...cluster.nodes.keys()].find((id) => id !== report.quorum.leaderId)!;
  const survivor = [...cluster.nodes.keys()].find((id) => id !== victim && id !== report.quorum.leaderId)!;
  const names = Array.from({ length: topics }, (_, t) => `big-${t}`);
  const lastByName = [...names].sort().at(-1)!;
  const port = cluster.node(survivor).brokerPort!;
  const ledBefore = await ledOnceKnown(port, names, victim, cluster);
  const child = cluster.node(victim).process!;
  const exited = new Promise<number>((resolve) => { void child.then(() => resolve(performance.now())); });
  const cpuBefore = await nodeCpuMs(cluster);
  const signalledMs = performance.now();
  // Not child.kill: execa follows its SIGTERM with a SIGKILL after 5 s (forceKillAfterDelay).
  process.kill(child.pid!, 'SIGTERM');
  await waitFor(async () => ((await partitionsLedBy(port, [lastByName], victim)) === 0 ? true : null), 120_000,
    () => `the partitions of node ${victim} did not move within 120 s\n${cluster.outputs()}`);
  const movedMs = performance.now() - signalledMs;
  // CPU the nodes used meanwhile (the leaving one only while it ran): on a shared machine the
  // wall time is mostly waiting for a core, this is what the shutdown itself cost.
  const cpuAfter = await nodeCpuMs(cluster);
  const cpuNote = [...cpuAfter].map(([id, ms]) => `${id}: ${((ms - (cpuBefore.get(id) ?? 0)) / 1000).toFixed(2)} s`).join(', ');
  const stillLed = await ledOnceKnown(port, names, victim, cluster);
  const exitedMs = (await exited) - signalledMs;
  cluster.node(victim).process = null;
  // Back to three nodes for what follows.
  await cluster.startNode(victim);
  await cluster.waitUntilReady(120_000);
  const line = /Controlled shutdown completed in (\d+) ms/.exec(cluster.node(victim).output.join(''));
  return [
    { name: 'controlled shutdown: SIGTERM until every partition it led has a new leader in Metadata', value: movedMs, unit: 'ms', targetMax: 5000,
      note: `node ${victim} led ${ledBefore.toLocaleString('en')} partitions (node ${report.quorum.leaderId} the active controller); a survivor's Metadata then shows ${stillLed} still led by it; ` +
        `node CPU meanwhile ${cpuNote}; load average ${loadavg()[0]!.toFixed(1)}` },
    { name: 'controlled shutdown: SIGTERM until the process exited', value: exitedMs, unit: 'ms',
      note: line === null ? 'no "Controlled shutdown completed" line in its output' : `the node logged the shutdown done after ${line[1]} ms` },
  ];
}

/**
 * How many partitions of `topics` the broker at `port` says `brokerId` leads (topics asked 20 at a
 * time); null when it cannot say now (a topic answered with an error such as LEADER_NOT_AVAILABLE,
 * which clients retry).
 */
async function partitionsLedBy(port: number, topics: string[], brokerId: number): Promise<number | null> {
  const connection = await KafkaClientConnection.connect({ host: '127.0.0.1', port, connectTimeoutMs: 1000 });
  try {
    let led = 0;
    for (let from = 0; from < topics.length; from += 20) {
      const response = await connection.request(metadataApi, 6, { topics: topics.slice(from, from + 20), allowAutoTopicCreation: false });
      for (const topic of response.topics) {
        if (topic.errorCode !== 0) return null;
        for (const partition of topic.partitions) if (partition.leaderId === brokerId) led++;
      }
    }
    return led;
  } finally {
    await connection.close();
  }
}

/** `partitionsLedBy`, asked again until it can say. */
function ledOnceKnown(port: number, topics: string[], brokerId: number, cluster: LocalCluster): Promise<number> {
  return waitFor(() => partitionsLedBy(port, topics, brokerId), 120_000, () => `no Metadata answer without errors within 120 s\n${cluster.outputs()}`);
}

/** The error code the node at `port` answers Metadata for `topic` with; null when it does not answer. */
async function topicOnNode(port: number, topic: string): Promise<number | null> {
  try {
    const connection = await KafkaClientConnection.connect({ host: '127.0.0.1', port, connectTimeoutMs: 1000 });
    try {
      const response = await connection.request(metadataApi, 6, { topics: [topic], allowAutoTopicCreation: false });
      return response.topics[0]?.errorCode ?? null;
    } finally {
      await connection.close();
    }
  } catch {
    return null;
  }
}
