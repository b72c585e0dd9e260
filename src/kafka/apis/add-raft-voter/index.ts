/** AddRaftVoter (key 80): the definition the API table registers, from the tables in add-raft-voter-schema.ts. */
import { defineApi } from '../api-codec.js';
import { ApiKey } from '../api-keys.js';
import type { MessageValue } from '../../protocol/message-schema.js';
import { addRaftVoterRequestSchema, addRaftVoterResponseSchema } from './add-raft-voter-schema.js';

export type AddRaftVoterRequest = MessageValue<typeof addRaftVoterRequestSchema>;
export type AddRaftVoterResponse = MessageValue<typeof addRaftVoterResponseSchema>;
export type RaftVoterListener = AddRaftVoterRequest['listeners'][number];

export const addRaftVoterApi = defineApi({
  apiKey: ApiKey.AddRaftVoter,
  request: addRaftVoterRequestSchema,
  response: addRaftVoterResponseSchema,
  errorResponse: (_request, errorCode, errorMessage) => ({ throttleTimeMs: 0, errorCode, errorMessage }),
});
