/** RemoveRaftVoter (key 81): the definition the API table registers, from the tables in remove-raft-voter-schema.ts. */
import { defineApi } from '../api-codec.js';
import { ApiKey } from '../api-keys.js';
import type { MessageValue } from '../../protocol/message-schema.js';
import { removeRaftVoterRequestSchema, removeRaftVoterResponseSchema } from './remove-raft-voter-schema.js';

export type RemoveRaftVoterRequest = MessageValue<typeof removeRaftVoterRequestSchema>;
export type RemoveRaftVoterResponse = MessageValue<typeof removeRaftVoterResponseSchema>;

export const removeRaftVoterApi = defineApi({
  apiKey: ApiKey.RemoveRaftVoter,
  request: removeRaftVoterRequestSchema,
  response: removeRaftVoterResponseSchema,
  errorResponse: (_request, errorCode, errorMessage) => ({ throttleTimeMs: 0, errorCode, errorMessage }),
});
