/**
 * The listener list the voter-change APIs share (AddRaftVoter, UpdateRaftVoter, DescribeQuorum's
 * nodes): where a controller is reached, by listener name. The same table in each, said once.
 */
import type { FieldSpec } from '../protocol/message-schema.js';

export const listenerFields = (versions: string) => [
  { name: 'name', type: 'string', versions },
  { name: 'host', type: 'string', versions },
  { name: 'port', type: 'uint16', versions },
] as const satisfies readonly FieldSpec[];

/** A voter change's answer (AddRaftVoter, RemoveRaftVoter): an error code and message. */
export const voterChangeResponseFields = [
  { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
  { name: 'errorCode', type: 'int16', versions: '0+' },
  { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
] as const satisfies readonly FieldSpec[];
