/**
 * The quorumd command line as a user runs it (a child process): random-uuid, format and its
 * refusal to reformat, start's refusals (unformatted directory, bad config), each with a message
 * that says what is wrong.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/cluster-configs.js';
import { readEvents } from '../support/event-logs.js';
import { waitFor } from '../support/wait-for.js';

const CLI = new URL('../../../src/cli/quorumd.ts', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'quorumd-cli-'));

afterAll(() => rmSync(root, { recursive: true, force: true }));

function quorumd(...args: string[]) {
  return execa('node', ['--import', 'tsx', CLI, ...args], { reject: false });
}

function writeConfig(name: string, extra = ''): string {
  const path = join(root, `${name}.properties`);
  writeFileSync(path, [
    'node.id=1', 'process.roles=broker,controller', 'controller.quorum.voters=1@127.0.0.1:1',
    'listeners=PLAINTEXT://127.0.0.1:0,CONTROLLER://127.0.0.1:1', 'controller.listener.names=CONTROLLER',
    `log.dirs=${join(root, name)}`, extra,
  ].join('\n'));
  return path;
}

describe('quorumd command line', () => {
  it('random-uuid prints a 22-character base64url id, a new one each time', async () => {
    const [a, b] = await Promise.all([quorumd('random-uuid'), quorumd('random-uuid')]);
    expect(a.stdout).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    expect(b.stdout).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    expect(a.stdout).not.toBe(b.stdout);
  });

  it('format writes meta.properties and refuses to reformat unless --ignore-formatted', async () => {
    const config = writeConfig('formatted');
    const first = await quorumd('format', '--config', config, '--cluster-id', 'FirstCluster');
    expect(first.exitCode, first.stderr).toBe(0);
    const meta = readFileSync(join(root, 'formatted', 'meta.properties'), 'utf8');
    expect(meta).toMatch(/^cluster\.id=FirstCluster$/m);
    expect(meta).toMatch(/^node\.id=1$/m);
    expect(meta).toMatch(/^version=1$/m);
    expect(meta).toMatch(/^directory\.id=[A-Za-z0-9_-]{21}[AQgw]$/m);

    const again = await quorumd('format', '--config', config, '--cluster-id', 'OtherCluster');
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toMatch(/already formatted \(cluster\.id FirstCluster, node\.id 1\).*--ignore-formatted/);
    const ignored = await quorumd('format', '--config', config, '--cluster-id', 'OtherCluster', '--ignore-formatted');
    expect(ignored.exitCode).toBe(0);
    expect(readFileSync(join(root, 'formatted', 'meta.properties'), 'utf8')).toBe(meta);
  });

  it('start refuses an unformatted directory, naming the command that formats it', async () => {
    const result = await quorumd('start', '--config', writeConfig('unformatted'));
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/unformatted is not formatted \(no meta\.properties\): run 'quorumd format/);
  });

  it('start --format-cluster-id refuses a bad cluster id before starting, naming its own flag', async () => {
    const result = await quorumd('start', '--config', writeConfig('bad-id'), '--format-cluster-id', 'not an id');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^quorumd start: --format-cluster-id: /);
  });

  it('a bad config fails with the key named; missing arguments are usage errors', async () => {
    const bad = await quorumd('start', '--config', writeConfig('bad', 'controller.quorum.fetch.timeout.ms=soon'));
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/controller\.quorum\.fetch\.timeout\.ms: must be an integer, got 'soon'/);
    const usage = await quorumd('format', '--config', writeConfig('usage'));
    expect(usage.exitCode).toBe(2);
    expect(usage.stderr).toMatch(/--cluster-id is required/);
  });
});

describe('quorumd start', () => {
  it('--format-cluster-id formats an unformatted disk in the same process, then serves; a formatted one is kept', async () => {
    const controllerPort = await freePort();
    const dataDir = join(root, 'self-format', 'data');
    const config = join(root, 'self-format.properties');
    writeFileSync(config, [
      'node.id=1', 'process.roles=controller', `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
      `listeners=CONTROLLER://127.0.0.1:${controllerPort}`, 'controller.listener.names=CONTROLLER', `log.dirs=${dataDir}`,
    ].join('\n'));
    const startOnce = async (clusterId: string): Promise<string> => {
      // forceKillAfterDelay: false: execa would SIGKILL a node still shutting down 5 s after SIGTERM
      // (under load, start-up and shutdown take longer), and the exit code asserted would be lost.
      const child = execa('node', ['--import', 'tsx', CLI, 'start', '--config', config, '--format-cluster-id', clusterId], { reject: false, all: true, forceKillAfterDelay: false });
      let output = '';
      child.all?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
      try {
        await waitFor('the node to start', () => /Started node 1 of cluster/.test(output), 60_000);
      } finally {
        child.kill('SIGTERM');
      }
      const result = await child;
      expect(result.exitCode, result.all).toBe(0);
      return result.all ?? '';
    };
    const first = await startOnce('SelfFormatted');
    expect(first).toMatch(/Formatted .*data with cluster\.id SelfFormatted/);
    const meta = readFileSync(join(dataDir, 'meta.properties'), 'utf8');
    expect(meta).toMatch(/^cluster\.id=SelfFormatted$/m);
    const second = await startOnce('OtherCluster');
    expect(second).not.toMatch(/Formatted \S+ with cluster\.id/);
    expect(readFileSync(join(dataDir, 'meta.properties'), 'utf8')).toBe(meta);
  });

  it('runs a one-voter quorum until SIGTERM, then resigns and exits 0', async () => {
    const [brokerPort, controllerPort] = [await freePort(), await freePort()];
    const eventLog = join(root, 'single', 'events.jsonl');
    const config = join(root, 'single.properties');
    writeFileSync(config, [
      'node.id=1', 'process.roles=broker,controller', `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
      `listeners=PLAINTEXT://127.0.0.1:${brokerPort},CONTROLLER://127.0.0.1:${controllerPort}`,
      'controller.listener.names=CONTROLLER', `log.dirs=${join(root, 'single', 'data')}`, `event.log.file=${eventLog}`,
      'controller.quorum.election.timeout.ms=100', 'controller.quorum.fetch.timeout.ms=400',
    ].join('\n'));
    expect((await quorumd('format', '--config', config, '--cluster-id', 'SingleNode')).exitCode).toBe(0);
    const child = execa('node', ['--import', 'tsx', CLI, 'start', '--config', config], { reject: false, all: true, forceKillAfterDelay: false });
    try {
      await waitFor('the node to lead and register as a broker', () =>
        readEvents(eventLog).some((event) => event.kind === 'became-leader') &&
        readEvents(eventLog).some((event) => event.kind === 'broker-unfenced' && event.brokerId === 1), 60_000);
      // The Kafka front is mounted on the PLAINTEXT listener: a real Kafka client creates and lists a topic.
      const admin = new Kafka({ brokers: [`127.0.0.1:${brokerPort}`], clientId: 'quorumd-cli-test', logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      try {
        expect(await admin.createTopics({ topics: [{ topic: 'through-kafka', numPartitions: 2, replicationFactor: 1 }] })).toBe(true);
        expect(await admin.listTopics()).toEqual(['through-kafka']);
      } finally {
        await admin.disconnect();
      }
    } finally {
      child.kill('SIGTERM');
    }
    const result = await child;
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toMatch(/Completed transition to Leader\(localId=1, epoch=1, epochStartOffset=0\)/);
    expect(result.all).toMatch(/Received SIGTERM: shutting down[\s\S]*Node 1 shut down/);
    expect(readEvents(eventLog).map((event) => event.kind)).toContain('epoch-changed');
    // One format for people: every line in Kafka's layout (a continuation of a stack trace starts
    // with a tab), and at the default INFO level no line per client connection.
    const lines = (result.all ?? '').split('\n').filter((line) => line !== '' && !line.startsWith('\t'));
    for (const line of lines) expect(line).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] (ERROR|WARN|INFO) \[\w+ id=1\] /);
    expect(result.all).toMatch(/INFO \[QuorumNode id=1\] Clock anchor: monotonic time \d+ ns/);
    expect(result.all).not.toMatch(/connection accepted/);
  });
});
