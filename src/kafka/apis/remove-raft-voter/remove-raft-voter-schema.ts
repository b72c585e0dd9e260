/**
 * RemoveRaftVoter (key 81), version 0, flexible (KIP-853): remove one voter (node id and directory
 * id) from the voter set. A leader that removes itself leads until the removal commits.
 */
import type { MessageSchema } from '../../protocol/message-schema.js';
import { voterChangeResponseFields } from '../raft-voter-listeners.js';

// <grammar> generated from the tables below; KAFKA_GRAMMAR_REWRITE=1 and the grammar-comments test rewrite it
// RemoveRaftVoterRequest v0:
//   cluster_id COMPACT_NULLABLE_STRING
//   voter_id INT32
//   voter_directory_id UUID
//   TAGGED_FIELDS
// RemoveRaftVoterResponse v0:
//   throttle_time_ms INT32
//   error_code INT16
//   error_message COMPACT_NULLABLE_STRING
//   TAGGED_FIELDS
// </grammar>

export const removeRaftVoterRequestSchema = {
  name: 'RemoveRaftVoterRequest',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [
    { name: 'clusterId', type: 'string', versions: '0+', nullableVersions: '0+' },
    { name: 'voterId', type: 'int32', versions: '0+' },
    { name: 'voterDirectoryId', type: 'uuid', versions: '0+' },
  ],
} as const satisfies MessageSchema;

export const removeRaftVoterResponseSchema = {
  name: 'RemoveRaftVoterResponse',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: voterChangeResponseFields,
} as const satisfies MessageSchema;
