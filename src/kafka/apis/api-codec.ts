/**
 * The contracts every API module fills in: a codec per version (both directions, since the
 * server decodes requests and encodes responses while our tools and tests do the reverse), and
 * one definition per API that the API table registers. `defineApi` builds both from the API's
 * request and response tables (protocol/message-schema.ts), so an API module is its tables.
 *
 * Each API has one request type and one response type for all its versions, as Kafka's
 * generated message classes do: decoding an older version fills the fields it lacks with
 * Kafka's defaults, and encoding an older version leaves out the fields it lacks. Handlers
 * therefore deal with one shape and never branch on the version to read a request.
 */
import { parseVersions, type MessageSchema, type MessageValue } from '../protocol/message-schema.js';
import type { Reader } from '../protocol/reader.js';
import { compileMessage, type MessageCodec } from '../protocol/schema-codec.js';
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


/**
 * Kafka semantics a table cannot say, applied around the generated codec (Kafka's own request
 * classes add the same on top of its generated messages): Metadata v0's empty topic list meaning
 * every topic, DescribeConfigs deriving IsDefault from ConfigSource.
 */
export interface WireAdapter<T> {
  afterDecode?(value: T, version: number): T;
  beforeEncode?(value: T, version: number): T;
}

export interface ApiSpec<RequestSchema extends MessageSchema, ResponseSchema extends MessageSchema> {
  apiKey: number;
  request: RequestSchema;
  response: ResponseSchema;
  requestAdapter?: WireAdapter<MessageValue<RequestSchema>>;
  responseAdapter?: WireAdapter<MessageValue<ResponseSchema>>;
  errorResponse: ApiDefinition<MessageValue<RequestSchema>, MessageValue<ResponseSchema>>['errorResponse'];
}

/** A table-described API (every one we serve): its definition, with a codec per version generated from the tables. */
export interface SchemaApiDefinition<Request, Response> extends ApiDefinition<Request, Response> {
  readonly requestSchema: MessageSchema;
  readonly responseSchema: MessageSchema;
}

/**
 * The definition of an API from its request and response tables. Both tables must agree on the
 * valid and flexible versions; the API's name is the request's without `Request`.
 */
export function defineApi<RequestSchema extends MessageSchema, ResponseSchema extends MessageSchema>(
  spec: ApiSpec<RequestSchema, ResponseSchema>,
): SchemaApiDefinition<MessageValue<RequestSchema>, MessageValue<ResponseSchema>> {
  const { request, response } = spec;
  const name = request.name.replace(/Request$/, '');
  if (request.validVersions !== response.validVersions || request.flexibleVersions !== response.flexibleVersions) {
    throw new SyntaxError(`${name}: the request and response tables disagree on valid or flexible versions`);
  }
  const range = parseVersions(request.validVersions);
  const flexible = parseVersions(request.flexibleVersions);
  const versions: ApiVersionCodec<MessageValue<RequestSchema>, MessageValue<ResponseSchema>>[] = [];
  for (let version = range.min; version <= range.max; version++) {
    versions.push(adaptedCodec(compileMessage(request, version), compileMessage(response, version), spec));
  }
  return {
    apiKey: spec.apiKey, name, minVersion: range.min, maxVersion: range.max,
    // 'none' has no flexible version: the first flexible one lies beyond every version.
    flexibleFromVersion: flexible.max < flexible.min ? Number.MAX_SAFE_INTEGER : flexible.min,
    versions, errorResponse: spec.errorResponse, requestSchema: request, responseSchema: response,
  };
}

function adaptedCodec<Request, Response>(
  requestCodec: MessageCodec<Request>,
  responseCodec: MessageCodec<Response>,
  adapters: { requestAdapter?: WireAdapter<Request>; responseAdapter?: WireAdapter<Response> },
): ApiVersionCodec<Request, Response> {
  const version = requestCodec.version;
  const { requestAdapter, responseAdapter } = adapters;
  return {
    version,
    decodeRequest: (reader) => adaptDecoded(requestAdapter, requestCodec.decode(reader), version),
    encodeRequest: (writer, value) => requestCodec.encode(writer, adaptEncoded(requestAdapter, value, version)),
    decodeResponse: (reader) => adaptDecoded(responseAdapter, responseCodec.decode(reader), version),
    encodeResponse: (writer, value) => responseCodec.encode(writer, adaptEncoded(responseAdapter, value, version)),
  };
}

function adaptDecoded<T>(adapter: WireAdapter<T> | undefined, value: T, version: number): T {
  return adapter?.afterDecode === undefined ? value : adapter.afterDecode(value, version);
}

function adaptEncoded<T>(adapter: WireAdapter<T> | undefined, value: T, version: number): T {
  return adapter?.beforeEncode === undefined ? value : adapter.beforeEncode(value, version);
}
