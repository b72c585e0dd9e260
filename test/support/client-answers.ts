/**
 * Tests read answered requests through these: they fail with the whole response when a request
 * was not answered `ok`, instead of reading a result that is not there.
 */
import type { ClientAnswered, ClientRequestKind, ClientResponse, ClientResultOf } from '../../src/core/client-response.js';

export function answered<K extends ClientRequestKind>(response: ClientResponse<K> | undefined): ClientAnswered<K> {
  if (response?.outcome !== 'ok') throw new Error(`expected an ok answer, got ${JSON.stringify(response)}`);
  return response;
}

export function okResult<K extends ClientRequestKind>(response: ClientResponse<K> | undefined): ClientResultOf<K> {
  return answered(response).result;
}
