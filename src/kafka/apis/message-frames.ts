/**
 * Whole messages on the wire: a 4-byte size, the header of the right version, the body of the
 * given API version. Both directions, so the server and our own clients and tests share one
 * definition of which header goes with which API version.
 */
import { codecOf, requestHeaderVersion, responseHeaderVersion } from './index.js';
import type { ApiDefinition } from './api-codec.js';
import {
  decodeRequestHeader,
  decodeResponseHeader,
  encodeRequestHeader,
  encodeResponseHeader,
  type RequestHeader,
} from '../protocol/headers.js';
import { KafkaProtocolError } from '../protocol/protocol-error.js';
import { Reader } from '../protocol/reader.js';
import { Writer } from '../protocol/writer.js';

/** Prepends the 4-byte size to an encoded header + body. */
export function sizePrefixed(payload: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(4 + payload.length);
  frame.writeInt32BE(payload.length, 0);
  payload.copy(frame, 4);
  return frame;
}

export function encodeRequestFrame<Request>(
  api: ApiDefinition<Request, unknown>,
  version: number,
  header: { correlationId: number; clientId: string | null },
  request: Request,
): Buffer {
  const writer = frameWriter();
  const fullHeader: RequestHeader = { apiKey: api.apiKey, apiVersion: version, ...header, taggedFields: new Map() };
  encodeRequestHeader(writer, fullHeader, requestHeaderVersion(api, version));
  codecOf(api, version).encodeRequest(writer, request);
  return sealFrame(writer);
}

export function encodeResponseFrame<Response>(
  api: ApiDefinition<unknown, Response>,
  version: number,
  correlationId: number,
  response: Response,
): Buffer {
  const writer = frameWriter();
  encodeResponseHeader(writer, { correlationId, taggedFields: new Map() }, responseHeaderVersion(api, version));
  codecOf(api, version).encodeResponse(writer, response);
  return sealFrame(writer);
}

/**
 * A writer whose first 4 bytes are kept for the frame's size, filled in by `sealFrame`: the frame
 * is the writer's own buffer, never copied behind a size (a Metadata response of two million
 * partitions is some 90 MiB).
 */
function frameWriter(): Writer {
  return new Writer().int32(0);
}

function sealFrame(writer: Writer): Buffer {
  const frame = writer.toBuffer();
  frame.writeInt32BE(frame.length - 4, 0);
  return frame;
}

/** Decodes a request frame's payload (after the size) whose API and version the caller knows. */
export function decodeRequestPayload<Request>(
  api: ApiDefinition<Request, unknown>,
  version: number,
  payload: Buffer,
): { header: RequestHeader; request: Request } {
  return decodeWhole(`${api.name} v${version} request`, payload, (reader) => {
    const header = decodeRequestHeader(reader, requestHeaderVersion(api, version));
    return { header, request: codecOf(api, version).decodeRequest(reader) };
  });
}

/** Decodes a response frame's payload (after the size) of a known API and version. */
export function decodeResponsePayload<Response>(
  api: ApiDefinition<unknown, Response>,
  version: number,
  payload: Buffer,
): { correlationId: number; response: Response } {
  return decodeWhole(`${api.name} v${version} response`, payload, (reader) => {
    const { correlationId } = decodeResponseHeader(reader, responseHeaderVersion(api, version));
    return { correlationId, response: codecOf(api, version).decodeResponse(reader) };
  });
}

/**
 * Runs a decoder over a whole payload, requires it to consume every byte, and wraps any failure
 * as MALFORMED_MESSAGE naming the message, with the precise reader error as its cause.
 */
export function decodeWhole<T>(what: string, payload: Buffer, decode: (reader: Reader) => T): T {
  const reader = new Reader(payload);
  try {
    const value = decode(reader);
    reader.expectEnd(what);
    return value;
  } catch (error) {
    throw new KafkaProtocolError('MALFORMED_MESSAGE', `cannot decode ${what}`, { cause: error });
  }
}
