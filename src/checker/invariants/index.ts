/** The Raft invariant checker's public API. */
export { InvariantChecker, type InvariantCheckerOptions } from './invariant-checker.js';
export { checkAcknowledgedWrites, type AcknowledgedWrite } from './acknowledged-writes.js';
export { checkEventLogs, mergeByTime, parseNodeEvents, readNodeEventLog } from './event-log-reader.js';
export { describeViolation, INVARIANT_RULES, type InvariantRule, type Violation } from './violation.js';
