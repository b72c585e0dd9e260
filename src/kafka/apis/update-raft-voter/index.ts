/** UpdateRaftVoter (key 82): the definition the API table registers, from the tables in update-raft-voter-schema.ts. */
import { defineApi } from '../api-codec.js';
import { ApiKey } from '../api-keys.js';
import type { MessageValue } from '../../protocol/message-schema.js';
import { updateRaftVoterRequestSchema, updateRaftVoterResponseSchema } from './update-raft-voter-schema.js';

export type UpdateRaftVoterRequest = MessageValue<typeof updateRaftVoterRequestSchema>;
export type UpdateRaftVoterResponse = MessageValue<typeof updateRaftVoterResponseSchema>;

export const updateRaftVoterApi = defineApi({
  apiKey: ApiKey.UpdateRaftVoter,
  request: updateRaftVoterRequestSchema,
  response: updateRaftVoterResponseSchema,
  errorResponse: (_request, errorCode) => ({
    throttleTimeMs: 0, errorCode, currentLeader: { leaderId: -1, leaderEpoch: -1, host: '', port: 0 },
  }),
});
