// `quorumcheck check`, run for real as a child process on the fixture histories.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { CORPORA_DIR } from '../support/corpora-dir.js';

const HISTORIES = 'fixtures/histories';

function quorumcheck(...args: string[]) {
  return execa('node', ['--import', 'tsx', 'src/cli/quorumcheck.ts', 'check', ...args], { reject: false, timeout: 60_000 });
}

describe('quorumcheck check', () => {
  it('says valid and exits 0 for a linearizable topics history; its HTML report is a plain page', async () => {
    const htmlPath = join(mkdtempSync(join(tmpdir(), 'check-')), 'valid.html');
    const run = await quorumcheck(`${HISTORIES}/topics-valid.jsonl`, '--html', htmlPath);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^valid: the history is linearizable \(model topics, 13 calls in 2 parts, \d+ ms\)\nHTML report: .*valid\.html$/);
    expect(run.exitCode).toBe(0);
    const html = readFileSync(htmlPath, 'utf8');
    expect(html).toMatch(/<p class="summary verdict-valid">valid: the history is linearizable \(model topics, 13 calls in 2 parts, \d+ ms\)<\/p>/);
    expect(html).not.toContain('<svg');
  });

  it('explains an invalid history, writes the HTML report and exits 1', async () => {
    const htmlPath = join(mkdtempSync(join(tmpdir(), 'check-')), 'report.html');
    const run = await quorumcheck(`${HISTORIES}/topics-invalid.jsonl`, '--html', htmlPath);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('invalid: the history is not linearizable (model topics, 13 calls in 2 parts');
    expect(run.stdout).toContain('part orders (12 calls) is not linearizable.');
    expect(run.stdout).toContain('It could not be followed by: process 1, history index 25..26: describe topic orders → 6 partitions id Yk1');
    expect(run.stdout).toContain('describe orders answered topic id Yk1 but the current id of orders is Zq2');
    expect(run.stdout).toContain(`HTML report: ${htmlPath}`);
    const html = readFileSync(htmlPath, 'utf8');
    expect(html).toContain('<title>linearizability check: topics-invalid.jsonl</title>');
    expect(html).toMatch(/<g class="call failing" data-id="\d+"/);
    expect(html).toContain('describe orders answered topic id Yk1 but the current id of orders is Zq2');
  });

  it('prints the CheckResult as JSON with --json', async () => {
    const run = await quorumcheck(`${HISTORIES}/topics-invalid.jsonl`, '--json');
    expect(run.exitCode).toBe(1);
    const result = JSON.parse(run.stdout) as { verdict: string; model: string; failure: { partition: string; failingCall: { invokeIndex: number } } };
    expect(result).toMatchObject({ verdict: 'invalid', model: 'topics', failure: { partition: 'orders', failingCall: { invokeIndex: 25 } } });
  });

  it('picks the cas-register model for a Jepsen EDN history', async () => {
    const run = await quorumcheck(`${HISTORIES}/cas-register-valid.edn`);
    expect(run.stdout).toMatch(/^valid: the history is linearizable \(model cas-register, 4 calls in 1 part, \d+ ms\)$/);
    expect(run.exitCode).toBe(0);
  });

  it('picks etcd for a Jepsen etcd log and kv for a Porcupine kv log, by the file shape', async () => {
    const etcd = await quorumcheck(`${HISTORIES}/etcd-valid.log`);
    expect(etcd.stdout).toMatch(/^valid: the history is linearizable \(model etcd, 4 calls in 1 part, \d+ ms\)$/);
    expect(etcd.exitCode).toBe(0);
    const kv = await quorumcheck(`${HISTORIES}/kv-invalid.txt`, '--format', 'porcupine');
    expect(kv.stdout).toContain('invalid: the history is not linearizable (model kv, 3 calls in 1 part');
    expect(kv.stdout).toContain('It could not be followed by: process 2, history index 4..5: get x → "ba"');
    expect(kv.exitCode).toBe(1);
  });

  it('a torn list-topics passes the per-topic rule but not topics-no-partition, as documented', async () => {
    const perTopic = await quorumcheck(`${HISTORIES}/topics-torn-list.jsonl`);
    expect(perTopic.exitCode).toBe(0);
    const whole = await quorumcheck(`${HISTORIES}/topics-torn-list.jsonl`, '--model', 'topics-no-partition');
    expect(whole.exitCode).toBe(1);
    expect(whole.stdout).toContain("can't list topics [a, b]: the topics are [b]");
  });

  it('takes --model', async () => {
    const run = await quorumcheck(`${HISTORIES}/topics-valid.jsonl`, '--model', 'topics-no-partition');
    expect(run.stdout).toMatch(/^valid: .*\(model topics-no-partition, 13 calls in 1 part, /);
    expect(run.exitCode).toBe(0);
  });

  it('names the line of a malformed file and exits 3', async () => {
    const run = await quorumcheck(`${HISTORIES}/topics-malformed.jsonl`);
    expect(run.exitCode).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^quorumcheck check: fixtures\/histories\/topics-malformed\.jsonl: line 4: not JSON: .*\[not-json\]$/);
  });

  it('names the call whose shape the model cannot read, with verdict unknown', async () => {
    const run = await quorumcheck(`${HISTORIES}/topics-bad-shape.jsonl`);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toContain('unknown: the history could not be prepared: TopicHistoryError: call 3 (history index 6, process 0, describe-topic): ' +
      'a describe-topic answer needs an integer "partitions" or an "error"');
  });

  it.each([
    [['fixtures/histories/no-such-file.jsonl'], /fixtures\/histories\/no-such-file\.jsonl: cannot read the history: ENOENT/],
    [[], /expected exactly one history FILE, got none/],
    [[`${HISTORIES}/topics-valid.jsonl`, '--time-limit-ms', 'soon'], /--time-limit-ms must be a positive whole number, got "soon"/],
    [[`${HISTORIES}/topics-valid.jsonl`, '--format', 'xml'], /--format must be one of jsonl, edn, porcupine, got "xml"/],
    [[`${HISTORIES}/topics-valid.jsonl`, '--model', 'nope'], /unknown model "nope"; known models: .*topics/],
    [[`${HISTORIES}/topics-valid.jsonl`, '--bogus'], /Unknown option '--bogus'/],
  ])('rejects %j with a clear message and exit 3', async (args, message) => {
    const run = await quorumcheck(...args);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(message);
  });

  it('lists the models in --help', async () => {
    const run = await quorumcheck('--help');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('usage: quorumcheck check FILE');
    expect(run.stdout).toContain('  topics: topic metadata');
  });

  it('passes --model-options to the model: Knossos\' multi-register history is valid from {x 0, y 0}', async () => {
    const file = join(CORPORA_DIR, 'knossos/data/multi-register/good/multi-register.edn');
    const withInitial = await quorumcheck(file, '--model', 'multi-register', '--model-options', '{"initial":{"x":0,"y":0}}');
    expect(withInitial.stdout).toMatch(/^valid: /);
    expect(withInitial.exitCode).toBe(0);
    const notAnObject = await quorumcheck(file, '--model', 'multi-register', '--model-options', '[1]');
    expect(notAnObject.exitCode).toBe(3);
    expect(notAnObject.stderr).toContain('--model-options must be a JSON object');
    const unknownOption = await quorumcheck(file, '--model', 'register', '--model-options', '{"colour":1}');
    expect(unknownOption.exitCode).toBe(3);
    expect(unknownOption.stderr).toContain('has no option "colour"');
  });
});
