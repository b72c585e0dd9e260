import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseServerConfig } from '../../../src/node/config/server-config.js';

const FIXTURE = new URL('../../../fixtures/node/combined-node.properties', import.meta.url).pathname;

describe('a server.properties written the way Kafka operators write them', () => {
  it('parses with comments, continued voter lines and both separators', () => {
    const config = parseServerConfig(readFileSync(FIXTURE, 'utf8'), FIXTURE);
    expect(config.nodeId).toBe(2);
    expect(config.voters.map((voter) => `${voter.nodeId}@${voter.host}:${voter.port}`)).toEqual(['1@node1:9093', '2@node2:9093', '3@node3:9093']);
    expect(config.listeners).toEqual([{ name: 'PLAINTEXT', host: '', port: 9092 }, { name: 'CONTROLLER', host: '', port: 9093 }]);
    expect(config.quorum.brokerEndpoints).toEqual([{ name: 'PLAINTEXT', host: 'node2.example', port: 19092, securityProtocol: 'PLAINTEXT' }]);
    expect(config.logDirs).toEqual(['/var/lib/quorumd/data', '/var/lib/quorumd/data2']);
    expect(config.metadataLogDir).toBe('/var/lib/quorumd/data');
    expect(config.segmentBytes).toBe(1_048_576);
    expect(config.eventLogFile).toBe('/var/log/quorumd/events.jsonl');
    expect(config.quorum).toMatchObject({ snapshotIntervalEntries: 1000, electionTimeoutMs: 1000, readConsistency: 'linearizable' });
  });
});
