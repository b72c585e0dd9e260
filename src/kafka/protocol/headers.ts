/**
 * Request and response headers.
 *
 * Request header v1 (non-flexible APIs):  api_key INT16, api_version INT16, correlation_id INT32,
 *   client_id NULLABLE_STRING.
 * Request header v2 (flexible APIs): the same four fields (client_id stays a classic int16-length
 *   string, so old brokers can still read it), then a tagged-field section.
 * Response header v0: correlation_id INT32.
 * Response header v1 (flexible APIs): correlation_id INT32, then a tagged-field section.
 * ApiVersions responses always use header v0, whatever the request's version, so a client can
 * read the answer before it knows which versions the server speaks.
 */
import type { Reader, TaggedFields } from './reader.js';
import type { Writer } from './writer.js';

export type RequestHeaderVersion = 1 | 2;
export type ResponseHeaderVersion = 0 | 1;

/** The fixed first eight bytes of every request header, readable before the version is known. */
export interface RequestHeaderPrefix {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
}

export interface RequestHeader extends RequestHeaderPrefix {
  clientId: string | null;
  taggedFields: TaggedFields;
}

export interface ResponseHeader {
  correlationId: number;
  taggedFields: TaggedFields;
}

export const REQUEST_HEADER_PREFIX_BYTES = 8;

export function decodeRequestHeaderPrefix(reader: Reader): RequestHeaderPrefix {
  return { apiKey: reader.int16(), apiVersion: reader.int16(), correlationId: reader.int32() };
}

/** Reads the rest of a request header after its prefix. */
export function decodeRequestHeaderRest(
  reader: Reader,
  prefix: RequestHeaderPrefix,
  headerVersion: RequestHeaderVersion,
): RequestHeader {
  const clientId = reader.nullableString();
  const taggedFields = headerVersion === 2 ? reader.taggedFields() : new Map<number, Buffer>();
  return { ...prefix, clientId, taggedFields };
}

export function decodeRequestHeader(reader: Reader, headerVersion: RequestHeaderVersion): RequestHeader {
  return decodeRequestHeaderRest(reader, decodeRequestHeaderPrefix(reader), headerVersion);
}

export function encodeRequestHeader(writer: Writer, header: RequestHeader, headerVersion: RequestHeaderVersion): void {
  writer.int16(header.apiKey).int16(header.apiVersion).int32(header.correlationId).nullableString(header.clientId);
  if (headerVersion === 2) writer.taggedFields(header.taggedFields);
}

export function decodeResponseHeader(reader: Reader, headerVersion: ResponseHeaderVersion): ResponseHeader {
  const correlationId = reader.int32();
  const taggedFields = headerVersion === 1 ? reader.taggedFields() : new Map<number, Buffer>();
  return { correlationId, taggedFields };
}

export function encodeResponseHeader(writer: Writer, header: ResponseHeader, headerVersion: ResponseHeaderVersion): void {
  writer.int32(header.correlationId);
  if (headerVersion === 1) writer.taggedFields(header.taggedFields);
}
