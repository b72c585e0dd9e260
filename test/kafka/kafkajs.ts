/**
 * Access to kafkajs 2.2.4's own protocol encoders and decoders (CommonJS, untyped), so tests
 * check our codecs against the client we must interoperate with rather than against ourselves.
 */
import { createRequire } from 'node:module';

const requireFromHere = createRequire(import.meta.url);

interface KafkajsEncoder {
  buffer: Buffer;
}

export interface KafkajsRequest {
  apiKey: number;
  apiVersion: number;
  apiName: string;
  encode(): Promise<KafkajsEncoder>;
}

export interface KafkajsResponseCodec {
  decode(body: Buffer): Promise<Record<string, unknown>>;
  parse(decoded: Record<string, unknown>): Promise<Record<string, unknown>>;
}

interface KafkajsApiModule {
  versions: string[];
  protocol(options: { version: number }): (args?: object) => { request: KafkajsRequest; response: KafkajsResponseCodec };
}

const requests = requireFromHere('kafkajs/src/protocol/requests/index.js') as {
  requests: Record<string, KafkajsApiModule>;
};
const createRequestFrame = requireFromHere('kafkajs/src/protocol/request.js') as (options: {
  correlationId: number;
  clientId: string;
  request: KafkajsRequest;
}) => Promise<KafkajsEncoder>;

export function kafkajsProtocol(apiName: string, version: number, args?: object) {
  const api = requests.requests[apiName];
  if (api === undefined) throw new Error(`kafkajs has no request module named ${apiName}`);
  return api.protocol({ version })(args);
}

/** The whole request frame (size, header v1, body) exactly as a kafkajs connection sends it. */
export async function kafkajsRequestFrame(request: KafkajsRequest, correlationId: number, clientId: string): Promise<Buffer> {
  return (await createRequestFrame({ correlationId, clientId, request })).buffer;
}
