/**
 * A stand-in for quorumd in the harness's own tests: a TCP server on the broker port that greets
 * each connection with `node<id> <bridge address> start <n>` and closes it. Each start appends to
 * the event log (as quorumd's event stream would) and counts starts in the data directory, so
 * tests can see that a killed node restarts from its own disk.
 */
import { nodeScriptProgram, type NodeProgram } from '../../../src/harness/cluster/node-program.js';

const source = `
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
const env = process.env;
const dataDir = '/var/lib/quorumd/data';
mkdirSync(dataDir, { recursive: true });
let starts = 0;
try { starts = Number(readFileSync(dataDir + '/starts', 'utf8')); } catch {}
starts += 1;
writeFileSync(dataDir + '/starts', String(starts));
appendFileSync(env.QUORUMCHECK_EVENT_LOG, JSON.stringify({ timeNs: 0, node: Number(env.QUORUMCHECK_NODE_ID), kind: 'restarted', epoch: starts }) + '\\n');
const greeting = 'node' + env.QUORUMCHECK_NODE_ID + ' ' + env.QUORUMCHECK_BRIDGE_ADDRESS + ' start ' + starts + '\\n';
// Port probes (testcontainers' wait, the nemesis' reaches) reset connections: not an error here.
createServer((socket) => { socket.on('error', () => {}); socket.end(greeting); }).listen(Number(env.QUORUMCHECK_CLIENT_PORT), '0.0.0.0', () => {
  console.log('echo node ' + env.QUORUMCHECK_NODE_ID + ' listening; voters ' + env.QUORUMCHECK_VOTERS);
});
`;

export function echoNodeProgram(): NodeProgram {
  return nodeScriptProgram('echo-node', source, /echo node \d+ listening/);
}
