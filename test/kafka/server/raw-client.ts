/**
 * Raw TCP exchanges with a server, for bytes no well-behaved client sends: write a buffer, then
 * collect response frames until enough have arrived or the server closes the connection.
 */
import { connect } from 'node:net';
import { FrameReader } from '../../../src/kafka/server/frame-reader.js';

export interface RawExchangeResult {
  frames: Buffer[];
  /** True when the server closed the connection before `framesWanted` frames arrived. */
  closedByServer: boolean;
}

export function rawExchange(port: number, bytes: Buffer, framesWanted: number): Promise<RawExchangeResult> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const reader = new FrameReader();
    const frames: Buffer[] = [];
    let done = false;
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ frames, closedByServer });
    };
    socket.on('connect', () => {
      socket.write(bytes);
      if (framesWanted === 0) socket.end();
    });
    socket.on('data', (chunk: Buffer) => {
      try {
        frames.push(...reader.push(chunk));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
      if (frames.length >= framesWanted && framesWanted > 0) finish(false);
    });
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
  });
}

/** Polls `condition` on the event loop until it holds; a liveness wait, not a timing assertion. */
export async function eventually(condition: () => boolean, what: string, attemptsMax = 500): Promise<void> {
  for (let attempt = 0; attempt < attemptsMax; attempt++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never happened: ${what}`);
}
