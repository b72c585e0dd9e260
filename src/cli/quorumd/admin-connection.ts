/**
 * What quorumd's admin subcommands share: `--bootstrap-server` / `--bootstrap-controller` lists,
 * one connection per server with a deadline over everything asked on it, the version of an API
 * both sides speak (ApiVersions), and asking each server in turn until one answers.
 */
import { apiVersionsApi } from '../../kafka/apis/api-versions/index.js';
import type { ApiDefinition } from '../../kafka/apis/api-codec.js';
import { KafkaClientConnection } from '../../kafka/client/kafka-client-connection.js';
import { errorName } from '../../kafka/protocol/error-codes.js';
import { UsageError } from './arguments.js';

export interface ServerAddress {
  host: string;
  port: number;
}

/** `H:P,H:P,...` (IPv6 hosts in brackets); `option` names the flag in errors. */
export function parseServerList(list: string, option = '--bootstrap-server'): ServerAddress[] {
  const servers = list.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (servers.length === 0) throw new UsageError(`${option} names no server`);
  return servers.map((entry) => {
    const colon = entry.lastIndexOf(':');
    const host = colon > 0 ? entry.slice(0, colon).replace(/^\[(.*)\]$/, '$1') : '';
    const port = colon > 0 ? Number(entry.slice(colon + 1)) : NaN;
    if (host === '' || !Number.isInteger(port) || port < 1 || port > 65_535) {
      throw new UsageError(`'${entry}' is not HOST:PORT with a port between 1 and 65535`);
    }
    return { host, port };
  });
}

/** A connection whose every request fails once `timeoutMs` since it opened have passed. */
export interface AdminSession {
  request<Request, Response>(api: ApiDefinition<Request, Response>, version: number, request: Request): Promise<Response>;
  /** The highest version of `api` up to `newest` the server speaks; throws when it speaks none of them. */
  version(api: ApiDefinition<unknown, unknown>, newest: number, oldest?: number): Promise<number>;
}

export async function withAdminSession<T>(server: ServerAddress, timeoutMs: number, ask: (session: AdminSession) => Promise<T>): Promise<T> {
  const connection = await KafkaClientConnection.connect({ ...server, connectTimeoutMs: timeoutMs });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  timeout.catch(() => undefined);
  let ranges: Map<number, { min: number; max: number }> | null = null;
  const session: AdminSession = {
    request: (api, version, request) => Promise.race([connection.request(api, version, request), timeout]),
    async version(api, newest, oldest = 0) {
      if (ranges === null) {
        const answer = await session.request(apiVersionsApi, 0, {});
        if (answer.errorCode !== 0) throw new Error(`ApiVersions answered ${errorName(answer.errorCode)}`);
        ranges = new Map(answer.apiKeys.map((range) => [range.apiKey, { min: range.minVersion, max: range.maxVersion }]));
      }
      const range = ranges.get(api.apiKey);
      const version = range === undefined ? -1 : Math.min(newest, range.max);
      if (range === undefined || version < Math.max(oldest, range.min)) {
        throw new Error(`the server does not speak ${api.name} ${oldest === newest ? `v${newest}` : `v${oldest}-${newest}`}` +
          (range === undefined ? '' : ` (it speaks v${range.min}-${range.max})`));
      }
      return version;
    },
  };
  try {
    return await ask(session);
  } finally {
    clearTimeout(timer);
    await connection.close();
  }
}

/** Asks each server in turn; the error names every server that failed and why. */
export async function askFirstAnswering<T>(servers: ServerAddress[], what: string, ask: (server: ServerAddress) => Promise<T>): Promise<T> {
  const failures: string[] = [];
  for (const server of servers) {
    try {
      return await ask(server);
    } catch (error) {
      failures.push(`${server.host}:${server.port}: ${(error as Error).message}`);
    }
  }
  throw new Error(`no server could ${what}:\n  ${failures.join('\n  ')}`);
}
