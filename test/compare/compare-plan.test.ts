/**
 * `quorumcheck compare`'s plan and table without containers: arguments (and the errors that name
 * what is wrong), one seeded schedule for every system, percentiles, and the table's columns.
 */
import { describe, expect, it } from 'vitest';
import { faultTrials, parseFaults, parseSystems, percentile } from '../../src/compare/compare-plan.js';
import { formatMarkdownReport, formatTextTable, tableCells } from '../../src/compare/compare-table.js';
import type { CompareRow } from '../../src/compare/compare-system.js';
import { describeAnswers } from '../../src/compare/failover-trials.js';
import { parseCompareArguments, systemFor } from '../../src/cli/commands/compare.js';

describe('compare plan', () => {
  it('parses systems and faults, naming an unknown one', () => {
    expect(parseSystems('quorumd,kafka-kraft')).toEqual(['quorumd', 'kafka-kraft']);
    expect(() => parseSystems('quorumd,etcd')).toThrow(/unknown system 'etcd'; compare runs quorumd, kafka-kraft, kafka-zk/);
    expect(() => parseSystems('quorumd,quorumd')).toThrow(/names a system twice/);
    expect(parseFaults('kill,partition,kill')).toEqual(['kill', 'partition']);
    expect(() => parseFaults('pause')).toThrow(/unknown fault 'pause'/);
  });

  it('gives every system the same trials for a seed, each fault kind in turn', () => {
    const plan = { faults: ['partition', 'kill'] as const, seed: 42, trials: 5 };
    const trials = faultTrials({ ...plan, faults: [...plan.faults] });
    expect(trials.map((trial) => trial.fault)).toEqual(['partition', 'kill', 'partition', 'kill', 'partition']);
    expect(faultTrials({ ...plan, faults: [...plan.faults] })).toEqual(trials);
    expect(faultTrials({ ...plan, faults: [...plan.faults], seed: 43 })).not.toEqual(trials);
    for (const trial of trials) expect(trial.pauseBeforeMs).toBeGreaterThanOrEqual(1_000);
  });

  it('takes percentiles by nearest rank', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([300, 100, 200], 50)).toBe(200);
    expect(percentile([300, 100, 200], 99)).toBe(300);
  });

  it('reads its command line, with usage errors that name the flag', () => {
    const parsed = parseCompareArguments(['--systems', 'kafka-zk', '--seed', '9', '--versions', 'kafka-zk=3.9.1', '--out', '/tmp/x']);
    expect(parsed).not.toBe('help');
    if (parsed === 'help') return;
    expect(parsed.plan).toMatchObject({ systems: ['kafka-zk'], seed: 9, faults: ['partition', 'kill'], versions: { 'kafka-zk': '3.9.1' } });
    expect(parsed.reads).toBe('none');
    expect(() => parseCompareArguments(['--trials', '0'])).toThrow(/--trials must be an integer from 1 to 100, got '0'/);
    expect(() => parseCompareArguments(['--reads', 'controller'])).toThrow(/Kafka has none/);
    expect(() => parseCompareArguments(['--versions', 'quorumd=1'])).toThrow(/quorumd is this checkout/);
    expect(() => systemFor('kafka-kraft', '9.0.0')).toThrow(/kafka-kraft version '9.0.0' is not one quorumcheck knows/);
  });
});

describe('compare table', () => {
  const row: CompareRow = {
    system: 'kafka-kraft', version: '4.4.0',
    verdicts: { linearizability: 'valid', invariants: 'valid' }, verdictNotes: [],
    opsPerSecond: 9.25,
    failover: { partition: { trials: 3, none: 1, p50Ms: 2_300, p99Ms: 12_400 }, kill: { trials: 3, none: 0, p50Ms: 900, p99Ms: 1_500 } },
    shutdownAndRecovery: { createMs: 20_000, controlledShutdownMs: 3_100, recoveryMs: null },
    trials: [], wallMs: 200_000,
  };

  it('has one column per check and figure, the same for every system', () => {
    const cells = tableCells([row], ['partition', 'kill']);
    expect(cells[0]).toEqual(['system', 'version', 'linearizability', 'invariants', 'ops/s', 'failover partition p50 / p99',
      'failover kill p50 / p99', 'controlled shutdown', 'recovery (all killed)']);
    expect(cells[1]).toEqual(['kafka-kraft', '4.4.0', 'valid', 'valid', '9.3', '2300 ms / 12.4 s (1/3 none)', '900 ms / 1500 ms', '3100 ms', '-']);
    expect(formatTextTable(cells).split('\n')[0]).toMatch(/^system\s+version\s+linearizability/);
    const report = formatMarkdownReport([row], {
      plan: { systems: ['kafka-kraft'], faults: ['partition', 'kill'], seed: 1, trials: 6, throughputMs: 20_000, concurrency: 4, metadataTopics: 500, partitionsPerTopic: 10, versions: {} },
      reads: 'none', loadAverage: { start: 3, end: 4 }, startedAt: '2026-12-01T00:00:00Z',
    });
    expect(report).toContain('| kafka-kraft | 4.4.0 | valid |');
    expect(report).toContain('the same for every system: 500 topics x 10 partitions = 5,000 partitions, 2 replicas each (10,000 replicas)');
  });

  it("says per system which read anomalies are expected and which are bugs, and what each trial's probe was answered", () => {
    const trials: CompareRow['trials'] = [
      { trial: { index: 0, fault: 'kill', pauseBeforeMs: 1_000 }, leaderBefore: 2, failoverMs: null, recoveredMs: 900, note: 'probe answers before the acknowledgement: 12 x fail connection-refused: KafkaJSConnectionError: Connection timeout' },
    ];
    const context = (reads: 'none' | 'any-broker') => ({
      plan: { systems: ['quorumd', 'kafka-zk'] as ('quorumd' | 'kafka-zk')[], faults: ['kill'] as 'kill'[], seed: 1, trials: 1, throughputMs: 20_000, concurrency: 4, metadataTopics: 2, partitionsPerTopic: 3, versions: {} },
      reads, loadAverage: { start: 3, end: 4 }, startedAt: '2026-12-01T00:00:00Z',
    });
    const rows = [{ ...row, system: 'quorumd', trials: [] }, { ...row, system: 'kafka-zk', trials }];
    const withReads = formatMarkdownReport(rows, context('any-broker'));
    expect(withReads).toContain('- quorumd: expected, not a bug: nothing: reads are linearizable');
    expect(withReads).toContain('- kafka-zk: expected, not a bug: stale reads: a broker answers Metadata from its cache');
    expect(withReads).toContain('- kafka-zk: trial 0 (kill of leader 2): failover none; probe answers before the acknowledgement: 12 x fail connection-refused');
    const writesOnly = formatMarkdownReport(rows, context('none'));
    expect(writesOnly).toContain('- kafka-zk: expected, not a bug: nothing: the workload has no reads');
    expect(writesOnly).not.toContain('stale reads');
  });

  it('counts the probe answers, most frequent first', () => {
    expect(describeAnswers(new Map())).toBe('none');
    expect(describeAnswers(new Map([['info timeout', 1], ['fail NOT_CONTROLLER', 3]]))).toBe('3 x fail NOT_CONTROLLER, 1 x info timeout');
  });
});
