import { describe, expect, it } from 'vitest';
import { parseProperties, PropertiesSyntaxError, renderPropertiesText } from '../../../src/node/config/java-properties.js';
import { parseServerConfig } from '../../../src/node/config/server-config.js';

const BASE: Record<string, string> = {
  'node.id': '1',
  'process.roles': 'broker,controller',
  'controller.quorum.voters': '1@node1:9093,2@node2:9093,3@node3:9093',
  'listeners': 'PLAINTEXT://:9092,CONTROLLER://:9093',
  'controller.listener.names': 'CONTROLLER',
  'log.dirs': '/var/lib/quorumd/data',
};

function render(overrides: Record<string, string | undefined>): string {
  const merged = { ...BASE, ...overrides };
  return Object.entries(merged).filter(([, value]) => value !== undefined).map(([key, value]) => `${key}=${value}`).join('\n');
}

function errorOf(overrides: Record<string, string | undefined>): string {
  try {
    parseServerConfig(render(overrides));
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`no error for ${JSON.stringify(overrides)}`);
}

describe('Java properties syntax', () => {
  it('reads comments, both separators, whitespace separators, continuations and escapes', () => {
    const text = [
      '# a comment', '! another', '', '  a.b = one  ', 'c.d:two', 'e.f three', 'long = first,\\', '    second',
      'esc = tab\\there\\u0041\\\\', 'key\\ with\\ spaces = x', 'empty=',
    ].join('\n');
    const entries = parseProperties(text);
    const values = Object.fromEntries([...entries].map(([key, entry]) => [key, entry.value]));
    expect(values).toEqual({
      'a.b': 'one', 'c.d': 'two', 'e.f': 'three', long: 'first,second', esc: 'tab\there' + 'A\\', 'key with spaces': 'x', empty: '',
    });
    expect(entries.get('long')?.lineNumber).toBe(7);
  });

  it('a bad \\u escape names the line', () => {
    expect(() => parseProperties('a=1\nb=\\u12G4', 'x.properties')).toThrow(PropertiesSyntaxError);
    expect(() => parseProperties('a=1\nb=\\u12G4', 'x.properties')).toThrow(/x\.properties:2/);
  });

  it('what renderPropertiesText writes reads back unchanged', () => {
    const entries = { 'cluster.id': 'a=b:c d\\e', 'node.id': '3', 'odd key=': 'line\nbreak' };
    const parsed = parseProperties(renderPropertiesText(entries, 'header'));
    expect(Object.fromEntries([...parsed].map(([key, entry]) => [key, entry.value]))).toEqual(entries);
  });
});

describe('server.properties', () => {
  it('maps Kafka keys to the node config', () => {
    const config = parseServerConfig(render({
      'controller.quorum.election.timeout.ms': '700',
      'controller.quorum.fetch.timeout.ms': '1500',
      'broker.session.timeout.ms': '5000',
      'metadata.read.consistency': 'cached',
      'advertised.listeners': 'PLAINTEXT://10.0.0.7:19092',
      'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      'inter.broker.listener.name': 'PLAINTEXT',
    }));
    expect(config.nodeId).toBe(1);
    expect(config.voters).toEqual([
      { nodeId: 1, host: 'node1', port: 9093 }, { nodeId: 2, host: 'node2', port: 9093 }, { nodeId: 3, host: 'node3', port: 9093 },
    ]);
    expect(config.quorum).toMatchObject({
      nodeId: 1, voters: [1, 2, 3], processRoles: ['broker', 'controller'], electionTimeoutMs: 700,
      fetchTimeoutMs: 1500, brokerSessionTimeoutMs: 5000, readConsistency: 'cached',
      brokerEndpoints: [{ name: 'PLAINTEXT', host: '10.0.0.7', port: 19092, securityProtocol: 'PLAINTEXT' }],
    });
    expect(config.metadataLogDir).toBe('/var/lib/quorumd/data');
    expect(config.eventLogFile).toBe('/var/lib/quorumd/data/quorumd-events.jsonl');
  });

  it('metadata.log.dir and event.log.file override the defaults', () => {
    const config = parseServerConfig(render({ 'metadata.log.dir': '/meta', 'event.log.file': '/logs/e.jsonl' }));
    expect(config.metadataLogDir).toBe('/meta');
    expect(config.eventLogFile).toBe('/logs/e.jsonl');
  });

  it('asks fetch answers of at most 8 MiB of entries, or less than socket.request.max.bytes by the answer\'s own fields', () => {
    expect(parseServerConfig(render({})).quorum.fetchMaxBytes).toBe(8 * 1024 * 1024);
    expect(parseServerConfig(render({ 'socket.request.max.bytes': '8192' })).quorum.fetchMaxBytes).toBe(8192 - 1024);
    expect(parseServerConfig(render({ 'socket.request.max.bytes': '1024' })).quorum.fetchMaxBytes).toBe(1);
  });

  it('sends FetchSnapshot pieces that fit one frame: the 1 MiB default is lowered to socket.request.max.bytes less the answer\'s own fields', () => {
    expect(parseServerConfig(render({})).quorum.fetchSnapshotMaxBytes).toBe(1024 * 1024);
    expect(parseServerConfig(render({ 'socket.request.max.bytes': '8192' })).quorum.fetchSnapshotMaxBytes).toBe(8192 - 1024);
    const configured = { 'socket.request.max.bytes': '8192', 'controller.quorum.fetch.snapshot.max.bytes': '4096' };
    expect(parseServerConfig(render(configured)).quorum.fetchSnapshotMaxBytes).toBe(4096);
  });

  it('log.level is INFO unless set, in any case of Kafka\'s level names', () => {
    expect(parseServerConfig(render({})).logLevel).toBe('INFO');
    expect(parseServerConfig(render({ 'log.level': 'debug' })).logLevel).toBe('DEBUG');
  });

  it('reads what the harness writes for a container node', () => {
    const config = parseServerConfig(render({
      'listeners': 'PLAINTEXT://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093',
      'advertised.listeners': 'PLAINTEXT://172.18.0.2:9092',
      'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      'inter.broker.listener.name': 'PLAINTEXT',
    }));
    expect(config.listeners.map((listener) => listener.host)).toEqual(['0.0.0.0', '0.0.0.0']);
  });

  it.each<[string, Record<string, string | undefined>, RegExp]>([
    ['an unknown key', { 'controller.quorum.electon.timeout.ms': '5' }, /^controller\.quorum\.electon\.timeout\.ms: unknown setting/],
    ['a missing node.id', { 'node.id': undefined }, /^node\.id: is required/],
    ['a non-numeric node.id', { 'node.id': 'one' }, /^node\.id: must be an integer, got 'one'/],
    ['an unknown log level', { 'log.level': 'verbose' }, /^log\.level: must be one of ERROR, WARN, INFO, DEBUG, TRACE, got 'verbose'/],
    ['a bad role', { 'process.roles': 'broker,leader' }, /^process\.roles: /],
    ['a voter list without this controller', { 'node.id': '4' }, /^controller\.quorum\.voters: does not contain this controller's node\.id 4/],
    ['a voter without the controller role', { 'process.roles': 'broker' }, /^process\.roles: node\.id 1 is in controller\.quorum\.voters/],
    ['a malformed voter', { 'controller.quorum.voters': '1@node1' }, /^controller\.quorum\.voters: '1@node1' is not id@host:port/],
    ['a voter named twice', { 'controller.quorum.voters': '1@a:1,1@b:2' }, /^controller\.quorum\.voters: names voter 1 twice/],
    ['a controller listener missing from listeners', { 'controller.listener.names': 'CTRL' }, /^controller\.listener\.names: names CTRL, which is not in listeners/],
    ['a malformed listener', { 'listeners': 'PLAINTEXT:9092' }, /^listeners: 'PLAINTEXT:9092' is not NAME:\/\/host:port/],
    ['a broker without a broker listener', { 'listeners': 'CONTROLLER://:9093' }, /^listeners: a broker needs a listener/],
    ['no log directory', { 'log.dirs': undefined }, /^log\.dirs: is required/],
    ['an election timeout out of range', { 'controller.quorum.election.timeout.ms': '1' }, /^controller\.quorum\.election\.timeout\.ms: must be between 10/],
    ['a session timeout below the heartbeat', { 'broker.session.timeout.ms': '100', 'broker.heartbeat.interval.ms': '200' }, /^broker\.session\.timeout\.ms: must exceed broker\.heartbeat\.interval\.ms/],
    ['a bad read consistency', { 'metadata.read.consistency': 'eventual' }, /^metadata\.read\.consistency: must be linearizable or cached, got 'eventual'/],
    ['a tiny socket.request.max.bytes', { 'socket.request.max.bytes': '10' }, /^socket\.request\.max\.bytes: must be between 1024/],
    ['snapshot pieces larger than a frame', { 'socket.request.max.bytes': '8192', 'controller.quorum.fetch.snapshot.max.bytes': '8000' },
      /^controller\.quorum\.fetch\.snapshot\.max\.bytes: is 8000, but a FetchSnapshot answer must fit one frame of socket\.request\.max\.bytes \(8192\).*at most 7168/],
    ['a non-plaintext protocol', { 'listener.security.protocol.map': 'PLAINTEXT:SSL,CONTROLLER:PLAINTEXT' }, /^listener\.security\.protocol\.map: quorumd speaks PLAINTEXT only/],
  ])('refuses %s, naming the key', (_name, overrides, pattern) => {
    expect(errorOf(overrides)).toMatch(pattern);
  });

  it('a broker-only node needs no controller listener and is an observer', () => {
    const config = parseServerConfig(render({ 'node.id': '7', 'process.roles': 'broker', 'listeners': 'PLAINTEXT://:9092' }));
    expect(config.quorum.voters).toEqual([1, 2, 3]);
    expect(config.processRoles).toEqual(['broker']);
  });
});
