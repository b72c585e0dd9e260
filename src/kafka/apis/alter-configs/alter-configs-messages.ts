/**
 * AlterConfigs (key 33), versions 0-1: the message types shared by both served versions, and the
 * codec of a given version. The per-version files carry the grammar and bind it to a version.
 *
 * AlterConfigs replaces a resource's whole set of dynamic configs (keys left out are reset),
 * unlike IncrementalAlterConfigs; the handler implements that meaning, this file only the bytes.
 */
import type { ApiVersionCodec } from '../api-codec.js';

export interface AlterableConfig {
  name: string;
  value: string | null;
}

export interface AlterConfigsResource {
  resourceType: number;
  resourceName: string;
  configs: AlterableConfig[];
}

export interface AlterConfigsRequest {
  resources: AlterConfigsResource[];
  validateOnly: boolean;
}

export interface AlterConfigsResourceResponse {
  errorCode: number;
  errorMessage: string | null;
  resourceType: number;
  resourceName: string;
}

export interface AlterConfigsResponse {
  throttleTimeMs: number;
  responses: AlterConfigsResourceResponse[];
}

export function alterConfigsCodec(version: number): ApiVersionCodec<AlterConfigsRequest, AlterConfigsResponse> {
  return {
    version,
    decodeRequest(reader) {
      const resources = reader.array('Resources', (r) => ({
        resourceType: r.int8(),
        resourceName: r.string('Resources.ResourceName'),
        configs: r.array('Configs', (c) => ({ name: c.string('Configs.Name'), value: c.nullableString() })),
      }));
      return { resources, validateOnly: reader.boolean() };
    },
    encodeRequest(writer, request) {
      writer.array(request.resources, (w, resource) => {
        w.int8(resource.resourceType).string(resource.resourceName);
        w.array(resource.configs, (c, config) => c.string(config.name).nullableString(config.value));
      });
      writer.boolean(request.validateOnly);
    },
    decodeResponse(reader) {
      const throttleTimeMs = reader.int32();
      const responses = reader.array('Responses', (r) => ({
        errorCode: r.int16(),
        errorMessage: r.nullableString(),
        resourceType: r.int8(),
        resourceName: r.string('Responses.ResourceName'),
      }));
      return { throttleTimeMs, responses };
    },
    encodeResponse(writer, response) {
      writer.int32(response.throttleTimeMs);
      writer.array(response.responses, (w, result) => {
        w.int16(result.errorCode).nullableString(result.errorMessage).int8(result.resourceType).string(result.resourceName);
      });
    },
  };
}
