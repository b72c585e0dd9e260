/**
 * UpdateRaftVoter (key 82), version 0, flexible (KIP-853): a voter tells the leader its current
 * listeners and the kraft.version range it supports. The answer names the current leader in a
 * tagged field.
 */
import type { MessageSchema } from '../../protocol/message-schema.js';
import { listenerFields } from '../raft-voter-listeners.js';

// <grammar> generated from the tables below; KAFKA_GRAMMAR_REWRITE=1 and the grammar-comments test rewrite it
// UpdateRaftVoterRequest v0:
//   cluster_id COMPACT_NULLABLE_STRING
//   current_leader_epoch INT32  (-1 when unknown)
//   voter_id INT32
//   voter_directory_id UUID
//   listeners COMPACT_ARRAY of
//     name COMPACT_STRING
//     host COMPACT_STRING
//     port UINT16
//     TAGGED_FIELDS
//   k_raft_version_feature KRaftVersionFeature
//     min_supported_version INT16
//     max_supported_version INT16
//     TAGGED_FIELDS
//   TAGGED_FIELDS
// UpdateRaftVoterResponse v0:
//   throttle_time_ms INT32
//   error_code INT16
//   TAGGED_FIELDS
//     tag 0: current_leader CurrentLeader
//       leader_id INT32
//       leader_epoch INT32
//       host COMPACT_STRING
//       port INT32
//       TAGGED_FIELDS
// </grammar>

export const updateRaftVoterRequestSchema = {
  name: 'UpdateRaftVoterRequest',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [
    { name: 'clusterId', type: 'string', versions: '0+', nullableVersions: '0+' },
    { name: 'currentLeaderEpoch', type: 'int32', versions: '0+', about: '-1 when unknown' },
    { name: 'voterId', type: 'int32', versions: '0+' },
    { name: 'voterDirectoryId', type: 'uuid', versions: '0+' },
    { name: 'listeners', type: '[]Listener', versions: '0+', fields: listenerFields('0+') },
    { name: 'kRaftVersionFeature', type: 'KRaftVersionFeature', versions: '0+', fields: [
      { name: 'minSupportedVersion', type: 'int16', versions: '0+' },
      { name: 'maxSupportedVersion', type: 'int16', versions: '0+' },
    ] },
  ],
} as const satisfies MessageSchema;

export const updateRaftVoterResponseSchema = {
  name: 'UpdateRaftVoterResponse',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'currentLeader', type: 'CurrentLeader', versions: '0+', taggedVersions: '0+', tag: 0, fields: [
      { name: 'leaderId', type: 'int32', versions: '0+', default: -1 },
      { name: 'leaderEpoch', type: 'int32', versions: '0+', default: -1 },
      { name: 'host', type: 'string', versions: '0+' },
      { name: 'port', type: 'int32', versions: '0+' },
    ] },
  ],
} as const satisfies MessageSchema;
