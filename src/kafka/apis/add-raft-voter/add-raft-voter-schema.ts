/**
 * AddRaftVoter (key 80), version 0, flexible (KIP-853): add a controller, caught up as an observer,
 * to the voter set. Sent to any controller; the active one answers once the new voter set commits.
 */
import type { MessageSchema } from '../../protocol/message-schema.js';
import { listenerFields, voterChangeResponseFields } from '../raft-voter-listeners.js';

// <grammar> generated from the tables below; KAFKA_GRAMMAR_REWRITE=1 and the grammar-comments test rewrite it
// AddRaftVoterRequest v0:
//   cluster_id COMPACT_NULLABLE_STRING
//   timeout_ms INT32
//   voter_id INT32
//   voter_directory_id UUID
//   listeners COMPACT_ARRAY of
//     name COMPACT_STRING
//     host COMPACT_STRING
//     port UINT16
//     TAGGED_FIELDS
//   TAGGED_FIELDS
// AddRaftVoterResponse v0:
//   throttle_time_ms INT32
//   error_code INT16
//   error_message COMPACT_NULLABLE_STRING
//   TAGGED_FIELDS
// </grammar>

export const addRaftVoterRequestSchema = {
  name: 'AddRaftVoterRequest',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [
    { name: 'clusterId', type: 'string', versions: '0+', nullableVersions: '0+' },
    { name: 'timeoutMs', type: 'int32', versions: '0+' },
    { name: 'voterId', type: 'int32', versions: '0+' },
    { name: 'voterDirectoryId', type: 'uuid', versions: '0+' },
    { name: 'listeners', type: '[]Listener', versions: '0+', fields: listenerFields('0+') },
  ],
} as const satisfies MessageSchema;

export const addRaftVoterResponseSchema = {
  name: 'AddRaftVoterResponse',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: voterChangeResponseFields,
} as const satisfies MessageSchema;
