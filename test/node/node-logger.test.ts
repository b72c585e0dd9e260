/**
 * quorumd's human log: Kafka's line layout, the level threshold (INFO by default, so per-connection
 * DEBUG lines are dropped), components of one node, and the clock-anchor line.
 */
import { describe, expect, it } from 'vitest';
import { CLOCK_ANCHOR_PREFIX, parseClockAnchor, parseNodeLogLine, shiftClockAnchors } from '../../src/history/node-log-line.js';
import { lineNodeLogger, logClockAnchor, parseLogLevel } from '../../src/node/node-logger.js';

const FIXED = new Date(Date.UTC(2026, 10, 21, 7, 44, 4, 123));

function capture(level?: Parameters<typeof lineNodeLogger>[0]['level']) {
  const written: string[] = [];
  const logger = lineNodeLogger({ nodeId: 2, now: () => FIXED, write: (text) => written.push(text), ...(level === undefined ? {} : { level }) });
  return { logger, written };
}

describe('lineNodeLogger', () => {
  it("writes Kafka's layout: [time] LEVEL [component id=N] message", () => {
    const { logger, written } = capture();
    logger.info('Completed transition to FollowerState(localId=2, epoch=3, leaderId=1)');
    logger.component('SocketServer').warn('refusing connection (open=1000)');
    expect(written).toEqual([
      '[2026-11-21 07:44:04,123] INFO [QuorumNode id=2] Completed transition to FollowerState(localId=2, epoch=3, leaderId=1)\n',
      '[2026-11-21 07:44:04,123] WARN [SocketServer id=2] refusing connection (open=1000)\n',
    ]);
  });

  it('drops lines below its level: INFO by default, DEBUG when asked', () => {
    const quiet = capture();
    quiet.logger.debug('connection accepted');
    quiet.logger.component('SocketServer').debug('connection closed');
    quiet.logger.error('Stopping');
    expect(quiet.written.map((line) => line.split('] ')[1])).toEqual(['ERROR [QuorumNode id=2']);
    const chatty = capture('DEBUG');
    chatty.logger.debug('connection accepted');
    expect(chatty.written).toEqual(['[2026-11-21 07:44:04,123] DEBUG [QuorumNode id=2] connection accepted\n']);
    const errorsOnly = capture('ERROR');
    errorsOnly.logger.warn('x');
    errorsOnly.logger.info('y');
    expect(errorsOnly.written).toEqual([]);
  });

  it('keeps a multi-line message (a stack trace) one entry: later lines are indented', () => {
    const { logger, written } = capture();
    logger.error('Stopping: Error: boom\n    at f (x.ts:1:1)');
    expect(written).toEqual(['[2026-11-21 07:44:04,123] ERROR [QuorumNode id=2] Stopping: Error: boom\n\t    at f (x.ts:1:1)\n']);
  });

  it('writes the clock anchor as an INFO line naming the monotonic time', () => {
    const { logger, written } = capture();
    logClockAnchor(logger, 81_234_567_890_123);
    expect(written).toEqual([`[2026-11-21 07:44:04,123] INFO [QuorumNode id=2] ${CLOCK_ANCHOR_PREFIX}81234567890123 ns\n`]);
  });

  it('writes lines the report parses back: time, level, component, message and the anchor', () => {
    const { logger, written } = capture();
    logClockAnchor(logger, 81_234_567_890_123);
    const entry = parseNodeLogLine(written[0]!.trimEnd());
    expect(entry).toEqual({ wallMs: FIXED.getTime(), level: 'INFO', component: 'QuorumNode id=2', message: `${CLOCK_ANCHOR_PREFIX}81234567890123 ns` });
    expect(parseClockAnchor(entry!.message)).toBe(81_234_567_890_123);
    expect(parseClockAnchor('Completed transition to Leader')).toBeNull();
    expect(parseNodeLogLine('\t    at f (x.ts:1:1)')).toBeNull();
  });

  it('moves clock anchors onto another clock and leaves every other line as it is', () => {
    const { logger, written } = capture();
    logClockAnchor(logger, 81_234_567_890_123);
    logger.info('Clock anchor: monotonic time 5 ns, said by someone else');
    const text = written.join('');
    const shifted = shiftClockAnchors(text, -81_200_000_000_000);
    expect(parseClockAnchor(parseNodeLogLine(shifted.split('\n')[0]!)!.message)).toBe(34_567_890_123);
    expect(shifted.split('\n')[1]).toBe(text.split('\n')[1]);
  });
});

describe('parseLogLevel', () => {
  it("accepts Kafka's level names in any case and nothing else", () => {
    expect(['info', 'DEBUG', ' Warn ', 'trace', 'ERROR'].map(parseLogLevel)).toEqual(['INFO', 'DEBUG', 'WARN', 'TRACE', 'ERROR']);
    expect(parseLogLevel('verbose')).toBeNull();
    expect(parseLogLevel('')).toBeNull();
  });
});
