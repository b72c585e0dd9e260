/**
 * `quorumcheck serve`: a small web server on the loopback interface over a runs folder, in the
 * manner of Jepsen's `lein run serve`. Read-only: it never writes into a run directory.
 *
 *   /                         the runs, newest first, and the trend of nightly conformance runs
 *   /runs/<run>/              the run's report.html (rendered on the fly when the run has none)
 *   /runs/<run>/?files        the run's files; /runs/<run>/<file> one raw file
 *   /runs/<sweep>/            a sweep's seeds, each failing one linking to its run directory
 *   /zip/<run>.zip            the whole run directory as a zip archive
 *
 * Paths are checked to stay inside the runs folder (also through the `latest` link); only GET and
 * HEAD are answered.
 */
import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, extname, join, relative, sep } from 'node:path';
import { sweepSeedSpan } from '../../history/run-directory-format.js';
import { buildReportData } from '../report-data.js';
import { renderRunReport } from '../report-html.js';
import { listRunFiles, readRunInputs } from '../run-inputs.js';
import { readTrendFile, TREND_FILE } from '../trend/trend-file.js';
import { indexRuns } from './run-index.js';
import { renderFileListPage, renderRunListPage, renderSweepPage, type SweepSeed } from './run-list-page.js';
import { writeZip } from './zip-writer.js';

export interface RunServerOptions {
  /** The runs folder. */
  root: string;
  /** 0: any free port. */
  port: number;
  /** Loopback only by default; the server has no authentication. */
  host?: string;
  /** The trend file (default <root>/trend.jsonl). */
  trendPath?: string;
  /** Budget for checking a failing topic again when a report is rendered on the fly. */
  checkTimeLimitMs?: number;
}

export interface RunningRunServer {
  url: string;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.jsonl': 'text/plain; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.edn': 'text/plain; charset=utf-8',
  '.properties': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export async function startRunServer(options: RunServerOptions): Promise<RunningRunServer> {
  const root = await realpath(options.root).catch(() => {
    throw new Error(`the runs folder ${options.root} does not exist (a run creates it; or give --runs DIR)`);
  });
  const server = createServer((request, response) => {
    handle(root, options, request, response).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (!response.headersSent) {
        response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
        response.end(`${status}: ${(error as Error).message}\n`);
      } else {
        response.destroy(error as Error);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { url: `http://${host}:${address.port}/`, close: () => closeServer(server) };
}

async function handle(root: string, options: RunServerOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') throw new HttpError(405, `${request.method} is not served: this server is read-only`);
  const url = new URL(request.url ?? '/', 'http://localhost');
  const path = decodeURIComponent(url.pathname);
  if (path === '/') {
    const [runs, trend] = await Promise.all([indexRuns(root), readTrendFile(options.trendPath ?? join(root, TREND_FILE))]);
    return sendHtml(response, renderRunListPage(options.root, runs, trend));
  }
  if (path === '/favicon.ico') {
    // Browsers ask for one on every page, raw files included; there is none, and that is no error.
    response.writeHead(204);
    response.end();
    return;
  }
  if (path.startsWith('/zip/') && path.endsWith('.zip')) return sendZip(root, path.slice('/zip/'.length, -'.zip'.length), response);
  if (!path.startsWith('/runs/')) throw new HttpError(404, `nothing at ${path}`);
  const target = await inside(root, path.slice('/runs/'.length));
  const info = await stat(target).catch(() => null);
  if (info === null) throw new HttpError(404, `no such run or file: ${path}`);
  if (info.isDirectory()) {
    if (!path.endsWith('/')) return redirect(response, `${url.pathname}/${url.search}`);
    return sendDirectory(root, target, url, options, response);
  }
  return sendFile(target, info.size, request, response);
}

async function sendDirectory(root: string, dir: string, url: URL, options: RunServerOptions, response: ServerResponse): Promise<void> {
  const relativePath = relative(root, dir).split(sep).join('/');
  if (url.searchParams.has('files')) return sendHtml(response, renderFileListPage(relativePath, await listRunFiles(dir, { withReport: true })));
  const sweep = await readFile(join(dir, 'sweep.json'), 'utf8').catch(() => null);
  if (sweep !== null) return sendHtml(response, sweepPage(relativePath, sweep));
  const report = await readFile(join(dir, 'report.html'), 'utf8').catch(() => null);
  if (report !== null) return sendHtml(response, report);
  const inputs = await readRunInputs(dir).catch((error: unknown) => { throw new HttpError(404, (error as Error).message); });
  return sendHtml(response, renderRunReport(buildReportData(inputs, options.checkTimeLimitMs === undefined ? {} : { checkTimeLimitMs: options.checkTimeLimitMs })));
}

function sweepPage(path: string, text: string): string {
  let sweep: Record<string, unknown> = {};
  try {
    sweep = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    return renderSweepPage(path, [], `sweep.json could not be read: ${(error as Error).message}`);
  }
  const results = Array.isArray(sweep['results']) ? sweep['results'] as Record<string, unknown>[] : [];
  const seeds: SweepSeed[] = results.map((entry) => ({
    seed: Number(entry['seed']),
    verdict: typeof entry['verdict'] === 'string' ? entry['verdict'] : 'unknown',
    reasons: Array.isArray(entry['reasons']) ? (entry['reasons'] as unknown[]).map(String) : [],
    runDirectory: typeof entry['runDirectory'] === 'string' ? entry['runDirectory'] : null,
  }));
  const counts = sweep['counts'] as Record<string, number> | undefined;
  // Seeds that ran, from the ranges (an older sweep.json: from its list of every seed).
  const ran = 'seedRanges' in sweep ? sweepSeedSpan(sweep).count : seeds.length;
  const listed = 'seedRanges' in sweep ? `; the ${seeds.length} not valid listed` : '';
  const headline = `${String(sweep['verdict'] ?? 'no verdict')}: ${ran} seeds` +
    (counts === undefined ? '' : ` (${counts['valid'] ?? 0} valid, ${counts['invalid'] ?? 0} invalid, ${counts['unknown'] ?? 0} unknown)`) + listed;
  return renderSweepPage(path, seeds, headline);
}

async function sendZip(root: string, runPath: string, response: ServerResponse): Promise<void> {
  const dir = await inside(root, runPath);
  const info = await stat(dir).catch(() => null);
  if (info === null || !info.isDirectory()) throw new HttpError(404, `no run directory ${runPath}`);
  const files = await listRunFiles(dir, { withReport: true });
  const folder = basename(dir);
  response.writeHead(200, {
    'content-type': 'application/zip',
    'content-disposition': `attachment; filename="${folder.replace(/[^\w.-]/g, '_')}.zip"`,
  });
  await writeZip(files.map((file) => ({ name: `${folder}/${file.path}`, path: join(dir, file.path) })), (chunk) => {
    if (response.write(chunk)) return undefined;
    return new Promise<void>((resolve) => response.once('drain', () => resolve()));
  });
  response.end();
}

function sendFile(path: string, size: number, request: IncomingMessage, response: ServerResponse): Promise<void> {
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
    'content-length': size,
    'x-content-type-options': 'nosniff',
  });
  if (request.method === 'HEAD') {
    response.end();
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    createReadStream(path).on('error', reject).pipe(response).on('finish', () => resolve());
  });
}

function sendHtml(response: ServerResponse, html: string): void {
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'x-content-type-options': 'nosniff' });
  response.end(html);
}

function redirect(response: ServerResponse, location: string): void {
  response.writeHead(301, { location });
  response.end();
}

/** The real path of `relativePath` under root; a path that leaves root (by .. or a link) is refused. */
async function inside(root: string, relativePath: string): Promise<string> {
  const parts = relativePath.split('/').filter((part) => part !== '');
  if (parts.some((part) => part === '..' || part === '.' || part.includes('\0') || part.includes('\\'))) {
    throw new HttpError(400, `bad path: ${relativePath}`);
  }
  const resolved = await realpath(join(root, ...parts)).catch(() => null);
  if (resolved === null) throw new HttpError(404, `no such run or file: ${relativePath}`);
  if (resolved !== root && !resolved.startsWith(`${root}${sep}`)) throw new HttpError(403, `${relativePath} leads outside the runs folder`);
  return resolved;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
