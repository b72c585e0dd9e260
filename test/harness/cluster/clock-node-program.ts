/**
 * A stand-in node for the clock fault tests: it greets each connection with its own wall clock
 * (Date.now()), so a test on the host reads how far a node's clock is skewed.
 */
import { nodeScriptProgram, type NodeProgram } from '../../../src/harness/cluster/node-program.js';
import { readGreeting } from './tcp-greeting.js';

export function clockNodeProgram(): NodeProgram {
  return nodeScriptProgram('clock', `
import { createServer } from 'node:net';
createServer((socket) => { socket.on('error', () => {}); socket.end(String(Date.now())); })
  .listen(Number(process.env.QUORUMCHECK_CLIENT_PORT), '0.0.0.0', () => console.log('clock node listening'));
`, /clock node listening/);
}

/** How far ahead (negative: behind) the node at `address` reads its clock, in ms. */
export async function clockSkewMs(address: string): Promise<number> {
  return Number(await readGreeting(address, 9092)) - Date.now();
}

/** libfaketime takes the new offset at the node's next clock read: poll until the skew shows. */
export async function waitForSkew(read: () => Promise<number>, reached: (skewMs: number) => boolean): Promise<number> {
  for (let attempt = 1; ; attempt += 1) {
    const skewMs = await read();
    if (reached(skewMs) || attempt >= 20) return skewMs;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
