/**
 * `quorumcheck compare --systems quorumd,kafka-kraft,kafka-zk --nemesis partition,kill`: the
 * same seeded schedule of faults against each system, one after the other, and one table of
 * their figures (src/compare/), printed and written with the histories into a report directory.
 *
 * Exit codes as for every run: 0 every judged check valid, 1 one invalid, 2 one unknown, 3 a usage
 * or set-up error (an unknown system or version, an image that cannot be built, a cluster that
 * does not start): it names what failed, and nothing of the comparison is left running.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  comparePlanDefaults, COMPARE_FAULTS, COMPARE_SYSTEMS, parseFaults, parseSystems, type ComparePlan, type CompareSystem,
} from '../../compare/compare-plan.js';
import { compareSystem, type CompareRow } from '../../compare/compare-system.js';
import { formatMarkdownReport, formatTextTable, tableCells } from '../../compare/compare-table.js';
import type { ReadMode } from '../../compare/topic-workload.js';
import { kafkaKraftSystem } from '../../harness/systems/kafka-kraft/kraft-system.js';
import { kafkaZkSystem } from '../../harness/systems/kafka-zk/zookeeper-mode-system.js';
import { quorumdSystem } from '../../harness/systems/quorumd/quorumd-system.js';
import type { SystemAdapter } from '../../harness/systems/system-adapter.js';
import { EXIT_INVALID, EXIT_UNKNOWN, EXIT_USAGE, EXIT_VALID } from '../subcommands.js';

const USAGE = `usage: quorumcheck compare [--systems ${COMPARE_SYSTEMS.join(',')}] [--nemesis ${COMPARE_FAULTS.join(',')}]
                           [--seed N] [--trials N] [--reads none|any-broker] [--versions SYSTEM=V,...]
                           [--throughput-s S] [--concurrency N] [--metadata-topics N] [--partitions-per-topic N]
                           [--out DIR]

Runs the same seeded fault schedule against each system (3 combined nodes each, one system at a
time) and prints a table: verdict per check, operations per second, failover as a client sees it
(p50/p99), controlled shutdown time, and recovery after every node was killed holding a metadata set.
  --systems L          systems to compare (default all: ${COMPARE_SYSTEMS.join(',')})
  --nemesis L          faults of the trials: partition (leader isolated), kill (leader's node kill -9)
  --seed N             the schedule's seed (default random, printed)
  --trials N           fault trials per system (default ${comparePlanDefaults.trials})
  --reads M            none (writes only, default) or any-broker (also describe topics through any broker)
  --versions L         e.g. kafka-kraft=4.3.1,kafka-zk=3.9.1 (default each system's newest)
  --throughput-s S     seconds of load before the first fault (default ${comparePlanDefaults.throughputMs / 1000})
  --concurrency N      client processes (default ${comparePlanDefaults.concurrency})
  --metadata-topics N  topics of the metadata set (default ${comparePlanDefaults.metadataTopics})
  --partitions-per-topic N  (default ${comparePlanDefaults.partitionsPerTopic})
  --out DIR            report directory (default runs/compare-<time>)

Exit codes: 0 valid, 1 invalid, 2 unknown, 3 usage or set-up error.
`;

export async function main(args: string[]): Promise<number> {
  let parsed: { plan: ComparePlan; reads: ReadMode; outDir: string };
  try {
    const parsedArgs = parseCompareArguments(args);
    if (parsedArgs === 'help') {
      process.stdout.write(USAGE);
      return EXIT_VALID;
    }
    parsed = parsedArgs;
  } catch (error) {
    process.stderr.write(`quorumcheck compare: ${(error as Error).message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  const { plan, reads, outDir } = parsed;
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  let systems: SystemAdapter[];
  try {
    systems = plan.systems.map((name) => systemFor(name, plan.versions[name]));
  } catch (error) {
    process.stderr.write(`quorumcheck compare: ${(error as Error).message}\n`);
    return EXIT_USAGE;
  }
  log(`compare: seed ${plan.seed} (repeat with --seed ${plan.seed}); report in ${outDir}`);
  await mkdir(outDir, { recursive: true });
  const startedAt = new Date().toISOString();
  const loadStart = os.loadavg()[0]!;
  const rows: CompareRow[] = [];
  for (const system of systems) {
    try {
      rows.push(await compareSystem({ plan, system, reads, outDir, log }));
    } catch (error) {
      process.stderr.write(`quorumcheck compare: ${system.name}: ${(error as Error).message}\n`);
      return EXIT_USAGE;
    }
  }
  const context = { plan, reads, loadAverage: { start: loadStart, end: os.loadavg()[0]! }, startedAt };
  process.stdout.write(formatTextTable(tableCells(rows, plan.faults)));
  await writeFile(path.join(outDir, 'report.md'), formatMarkdownReport(rows, context));
  await writeFile(path.join(outDir, 'results.json'), `${JSON.stringify({ ...context, rows }, null, 2)}\n`);
  process.stdout.write(`report: ${path.join(outDir, 'report.md')}\n`);
  const verdicts = rows.flatMap((row) => [row.verdicts.linearizability, row.verdicts.invariants]);
  if (verdicts.includes('invalid')) return EXIT_INVALID;
  if (verdicts.includes('unknown')) return EXIT_UNKNOWN;
  return EXIT_VALID;
}

export function parseCompareArguments(args: string[]): { plan: ComparePlan; reads: ReadMode; outDir: string } | 'help' {
  const { values } = parseArgs({
    args, strict: true, allowPositionals: false,
    options: {
      systems: { type: 'string' }, nemesis: { type: 'string' }, seed: { type: 'string' }, trials: { type: 'string' },
      reads: { type: 'string' }, versions: { type: 'string' }, 'throughput-s': { type: 'string' }, concurrency: { type: 'string' },
      'metadata-topics': { type: 'string' }, 'partitions-per-topic': { type: 'string' }, out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) return 'help';
  const integer = (flag: string, value: string | undefined, fallback: number, min: number, max: number): number => {
    if (value === undefined) return fallback;
    const number = Number(value);
    if (!Number.isSafeInteger(number) || number < min || number > max) throw new RangeError(`--${flag} must be an integer from ${min} to ${max}, got '${value}'`);
    return number;
  };
  const reads = values.reads ?? 'none';
  if (reads !== 'none' && reads !== 'any-broker') {
    throw new RangeError(`--reads must be none or any-broker, got '${reads}' (compare does not offer controller reads: Kafka has none)`);
  }
  const systems = parseSystems(values.systems ?? COMPARE_SYSTEMS.join(','));
  const versions: Partial<Record<CompareSystem, string>> = {};
  for (const entry of (values.versions ?? '').split(',').filter((item) => item !== '')) {
    const [name = '', version] = entry.split('=');
    if (version === undefined || version === '') throw new RangeError(`--versions takes SYSTEM=VERSION, got '${entry}'`);
    const [system] = parseSystems(name);
    if (system === 'quorumd') throw new RangeError('--versions: quorumd is this checkout; it has no other version');
    versions[system!] = version;
  }
  const plan: ComparePlan = {
    systems,
    faults: parseFaults(values.nemesis ?? COMPARE_FAULTS.join(',')),
    seed: integer('seed', values.seed, Math.floor(Math.random() * 1e9), 0, Number.MAX_SAFE_INTEGER),
    trials: integer('trials', values.trials, comparePlanDefaults.trials, 1, 100),
    throughputMs: integer('throughput-s', values['throughput-s'], comparePlanDefaults.throughputMs / 1000, 1, 3600) * 1000,
    concurrency: integer('concurrency', values.concurrency, comparePlanDefaults.concurrency, 1, 64),
    metadataTopics: integer('metadata-topics', values['metadata-topics'], comparePlanDefaults.metadataTopics, 1, 1_000_000),
    partitionsPerTopic: integer('partitions-per-topic', values['partitions-per-topic'], comparePlanDefaults.partitionsPerTopic, 1, 10_000),
    versions,
  };
  const outDir = values.out ?? path.join('runs', `compare-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}`);
  return { plan, reads, outDir };
}

/** The adapter of a system at a version; throws naming an unknown version. */
export function systemFor(name: CompareSystem, version: string | undefined): SystemAdapter {
  switch (name) {
    case 'quorumd':
      return quorumdSystem;
    case 'kafka-kraft':
      return kafkaKraftSystem(version === undefined ? {} : { version });
    case 'kafka-zk':
      return kafkaZkSystem(version === undefined ? {} : { version });
  }
}
