/**
 * DeleteTopics v0: the first version.
 *
 * Request:
 *   topic_names ARRAY of STRING
 *   timeout_ms INT32
 * Response:
 *   responses ARRAY of
 *     name STRING
 *     error_code INT16
 */
import { deleteTopicsCodec } from './delete-topics-messages.js';

export const deleteTopicsV0 = deleteTopicsCodec(0);
