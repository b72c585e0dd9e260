/**
 * DeleteTopics v1: adds the throttle time at the front of the response.
 *
 * Request:
 *   topic_names ARRAY of STRING
 *   timeout_ms INT32
 * Response:
 *   throttle_time_ms INT32   (new in v1)
 *   responses ARRAY of
 *     name STRING
 *     error_code INT16
 */
import { deleteTopicsCodec } from './delete-topics-messages.js';

export const deleteTopicsV1 = deleteTopicsCodec(1);
