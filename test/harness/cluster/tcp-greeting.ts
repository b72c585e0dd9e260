/** Reads the greeting a test node sends on connect, from this (the host's) side. */
import { connect } from 'node:net';

export function readGreeting(host: string, port: number, timeoutMs = 3_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
    let received = '';
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error(`no greeting from ${host}:${port} within ${timeoutMs} ms`));
    });
    socket.on('data', (chunk) => { received += chunk.toString('utf8'); });
    socket.on('end', () => resolve(received.trim()));
    socket.on('error', reject);
  });
}
