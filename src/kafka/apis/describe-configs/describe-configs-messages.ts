/**
 * DescribeConfigs (key 32), versions 0-2: the message types shared by all served versions, and
 * the codec of a given version. The per-version files carry the grammar and bind it to a version.
 */
import type { ApiVersionCodec } from '../api-codec.js';
import type { Reader } from '../../protocol/reader.js';
import type { Writer } from '../../protocol/writer.js';

/** Kafka's `ConfigResource.Type` wire values. */
export const ConfigResourceType = { UNKNOWN: 0, TOPIC: 2, BROKER: 4, BROKER_LOGGER: 8 } as const;

/** Kafka's `DescribeConfigsResponse.ConfigSource` wire values. */
export const ConfigSource = {
  UNKNOWN: 0,
  TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
  DYNAMIC_BROKER_LOGGER_CONFIG: 6,
} as const;

export interface DescribeConfigsResource {
  resourceType: number;
  resourceName: string;
  /** The keys to describe, or null for all of them. */
  configurationKeys: string[] | null;
}

export interface DescribeConfigsRequest {
  resources: DescribeConfigsResource[];
  /** Absent in v0; decodes as false there. */
  includeSynonyms: boolean;
}

export interface DescribeConfigsSynonym {
  name: string;
  value: string | null;
  source: number;
}

export interface DescribeConfigsResourceConfig {
  name: string;
  value: string | null;
  readOnly: boolean;
  /**
   * On the wire only in v0, which has no config source. Decoding v1+ derives it as
   * `configSource === DEFAULT_CONFIG`; decoding v0 derives `configSource` as DEFAULT_CONFIG when
   * this is set and -1 (Kafka's schema default) otherwise. Handlers should set both.
   */
  isDefault: boolean;
  /** On the wire from v1. */
  configSource: number;
  isSensitive: boolean;
  /** On the wire from v1; decodes as empty in v0. */
  synonyms: DescribeConfigsSynonym[];
}

export interface DescribeConfigsResult {
  errorCode: number;
  errorMessage: string | null;
  resourceType: number;
  resourceName: string;
  configs: DescribeConfigsResourceConfig[];
}

export interface DescribeConfigsResponse {
  throttleTimeMs: number;
  results: DescribeConfigsResult[];
}

export function describeConfigsCodec(
  version: number,
): ApiVersionCodec<DescribeConfigsRequest, DescribeConfigsResponse> {
  const hasSourceAndSynonyms = version >= 1;

  function decodeConfig(reader: Reader): DescribeConfigsResourceConfig {
    const name = reader.string('Configs.Name');
    const value = reader.nullableString();
    const readOnly = reader.boolean();
    if (!hasSourceAndSynonyms) {
      const isDefault = reader.boolean();
      const configSource = isDefault ? ConfigSource.DEFAULT_CONFIG : -1;
      return { name, value, readOnly, isDefault, configSource, isSensitive: reader.boolean(), synonyms: [] };
    }
    const configSource = reader.int8();
    const isSensitive = reader.boolean();
    const synonyms = reader.array('Synonyms', (r) => ({
      name: r.string('Synonyms.Name'),
      value: r.nullableString(),
      source: r.int8(),
    }));
    return { name, value, readOnly, isDefault: configSource === ConfigSource.DEFAULT_CONFIG, configSource, isSensitive, synonyms };
  }

  function encodeConfig(writer: Writer, config: DescribeConfigsResourceConfig): void {
    writer.string(config.name).nullableString(config.value).boolean(config.readOnly);
    if (!hasSourceAndSynonyms) {
      writer.boolean(config.isDefault).boolean(config.isSensitive);
      return;
    }
    writer.int8(config.configSource).boolean(config.isSensitive);
    writer.array(config.synonyms, (w, synonym) => w.string(synonym.name).nullableString(synonym.value).int8(synonym.source));
  }

  function decodeResult(reader: Reader): DescribeConfigsResult {
    return {
      errorCode: reader.int16(),
      errorMessage: reader.nullableString(),
      resourceType: reader.int8(),
      resourceName: reader.string('Results.ResourceName'),
      configs: reader.array('Configs', decodeConfig),
    };
  }

  function encodeResult(writer: Writer, result: DescribeConfigsResult): void {
    writer.int16(result.errorCode).nullableString(result.errorMessage);
    writer.int8(result.resourceType).string(result.resourceName).array(result.configs, encodeConfig);
  }

  return {
    version,
    decodeRequest(reader) {
      const resources = reader.array('Resources', (r) => ({
        resourceType: r.int8(),
        resourceName: r.string('Resources.ResourceName'),
        configurationKeys: r.nullableArray((k) => k.string('ConfigurationKeys')),
      }));
      return { resources, includeSynonyms: hasSourceAndSynonyms ? reader.boolean() : false };
    },
    encodeRequest(writer, request) {
      writer.array(request.resources, (w, resource) => {
        w.int8(resource.resourceType).string(resource.resourceName);
        w.nullableArray(resource.configurationKeys, (k, key) => k.string(key));
      });
      if (hasSourceAndSynonyms) writer.boolean(request.includeSynonyms);
    },
    decodeResponse(reader) {
      const throttleTimeMs = reader.int32();
      return { throttleTimeMs, results: reader.array('Results', decodeResult) };
    },
    encodeResponse(writer, response) {
      writer.int32(response.throttleTimeMs).array(response.results, encodeResult);
    },
  };
}
