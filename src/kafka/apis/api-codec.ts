/**
 * The contracts every API module fills in: a codec per version (both directions, since the
 * server decodes requests and encodes responses while our tools and tests do the reverse), and
 * one definition per API that the API table registers.
 *
 * Each API has one request type and one response type for all its versions, as Kafka's
 * generated message classes do: decoding an older version fills the fields it lacks with
 * Kafka's defaults, and encoding an older version leaves out the fields it lacks. Handlers
 * therefore deal with one shape and never branch on the version to read a request.
 */
import type { Reader } from '../protocol/reader.js';
import type { Writer } from '../protocol/writer.js';

export interface ApiVersionCodec<Request, Response> {
  readonly version: number;
  decodeRequest(reader: Reader): Request;
  encodeRequest(writer: Writer, request: Request): void;
  decodeResponse(reader: Reader): Response;
  encodeResponse(writer: Writer, response: Response): void;
}

export interface ApiDefinition<Request, Response> {
  readonly apiKey: number;
  /** Kafka's name for the API, as in its message schemas and in kafkajs. */
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
  /** The first version that uses compact types, tagged fields and request header v2. */
  readonly flexibleFromVersion: number;
  /** Codecs indexed by version, from minVersion to maxVersion. */
  readonly versions: readonly ApiVersionCodec<Request, Response>[];
  /**
   * The response that reports `errorCode` for everything the request asked about, as Kafka's
   * `AbstractRequest.getErrorResponse` does: used when a handler fails or times out, so the
   * client gets a Kafka error rather than a dropped connection.
   */
  errorResponse(request: Request, errorCode: number, errorMessage: string | null): Response;
}

/** Looks up the codec of one version, or undefined outside the served range. */
export function codecFor<Request, Response>(
  api: ApiDefinition<Request, Response>,
  version: number,
): ApiVersionCodec<Request, Response> | undefined {
  if (version < api.minVersion || version > api.maxVersion) return undefined;
  return api.versions[version - api.minVersion];
}

export function isFlexible(api: ApiDefinition<unknown, unknown>, version: number): boolean {
  return version >= api.flexibleFromVersion;
}

