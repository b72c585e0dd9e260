/**
 * `quorumcheck check FILE`: checks one recorded history for linearizability and says so in words
 * (or as the CheckResult in JSON), optionally writing the HTML report. Argument parsing and wiring
 * only: loading is src/history/load.ts, checking src/checker/check.ts, the report
 * src/checker/report/.
 *
 * Exit codes: 0 valid, 1 invalid, 2 unknown, 3 for bad arguments or a history that cannot be read,
 * with a message naming what is wrong.
 */
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { checkHistory } from '../../checker/check.js';
import type { Model } from '../../checker/model.js';
import { describeModels, modelByName } from '../../checker/models/index.js';
import { explainResult } from '../../checker/report/explain.js';
import { renderHtmlReport } from '../../checker/report/html.js';
import type { CheckResult } from '../../checker/verdict.js';
import { HISTORY_FORMATS, loadHistory, suggestModelName, type HistoryFormat, type LoadedHistory } from '../../history/load.js';
import { EXIT_INVALID, EXIT_UNKNOWN, EXIT_USAGE, EXIT_VALID } from '../subcommands.js';

const USAGE = `usage: quorumcheck check FILE [--model M] [--model-options JSON] [--format jsonl|edn|porcupine]
                        [--time-limit-ms N] [--memory-limit-mib N] [--html REPORT.html] [--json]

Checks the history in FILE for linearizability.
  --model M            the model to check against (default: topics for JSON lines, cas-register for
                       Jepsen EDN, etcd or kv for Porcupine logs, by the file's shape and functions)
  --model-options J    the model's options as a JSON object, e.g. '{"initial":{"x":0,"y":0}}'
                       for multi-register (see the list of models below for each one's options)
  --format F           jsonl, edn or porcupine (default: told from the file name and first line)
  --time-limit-ms N    give up with verdict unknown after N ms (default 30000)
  --memory-limit-mib N give up with verdict unknown past N MiB (default 1024)
  --html F             also write a self-contained HTML report to F
  --json               print the CheckResult as JSON instead of words
Exit codes: 0 valid, 1 invalid, 2 unknown, 3 bad arguments or an unreadable history.
`;

/** A problem with the arguments or the input: reported in one line, exit 3. */
class UsageError extends Error {}

interface CheckArguments {
  file: string;
  model?: string;
  modelOptions: Record<string, unknown>;
  format?: HistoryFormat;
  timeLimitMs?: number;
  memoryLimitMiB?: number;
  htmlPath?: string;
  json: boolean;
}

export async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\nmodels:\n${describeModels().map((line) => `  ${line}`).join('\n')}\n`);
    return EXIT_VALID;
  }
  try {
    const options = parseCheckArguments(args);
    const history = await load(options);
    const model = chooseModel(options, history);
    const result = await checkHistory(history.operations, model, {
      timeLimitMs: options.timeLimitMs,
      memoryLimitMiB: options.memoryLimitMiB,
    });
    if (options.htmlPath !== undefined) await writeReport(options.htmlPath, result, model, history.path);
    process.stdout.write(options.json ? `${JSON.stringify(result, jsonReplacer, 2)}\n` : explainResult(result, model));
    if (options.htmlPath !== undefined && !options.json) process.stdout.write(`HTML report: ${options.htmlPath}\n`);
    return exitCodeFor(result);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`quorumcheck check: ${error.message}\n`);
    return EXIT_USAGE;
  }
}

export function exitCodeFor(result: CheckResult): number {
  if (result.verdict === 'valid') return EXIT_VALID;
  return result.verdict === 'invalid' ? EXIT_INVALID : EXIT_UNKNOWN;
}

function parseCheckArguments(args: string[]): CheckArguments {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        model: { type: 'string' },
        'model-options': { type: 'string' },
        format: { type: 'string' },
        'time-limit-ms': { type: 'string' },
        'memory-limit-mib': { type: 'string' },
        html: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) {
    throw new UsageError(`expected exactly one history FILE, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}\n${USAGE}`);
  }
  const format = values.format;
  if (format !== undefined && !(HISTORY_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${HISTORY_FORMATS.join(', ')}, got "${format}"`);
  }
  return {
    file: positionals[0]!,
    model: values.model,
    modelOptions: jsonObject('--model-options', values['model-options']),
    format: format as HistoryFormat | undefined,
    timeLimitMs: positiveInteger('--time-limit-ms', values['time-limit-ms']),
    memoryLimitMiB: positiveInteger('--memory-limit-mib', values['memory-limit-mib']),
    htmlPath: values.html,
    json: values.json,
  };
}

function jsonObject(flag: string, text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${flag} must be a JSON object: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${flag} must be a JSON object, got ${text}`);
  }
  return value as Record<string, unknown>;
}

function positiveInteger(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`${flag} must be a positive whole number, got "${text}"`);
  }
  return value;
}

async function load(options: CheckArguments): Promise<LoadedHistory> {
  try {
    return await loadHistory(options.file, options.format);
  } catch (error) {
    // Every reader reports malformed input as a HistoryFormatError naming the file and line.
    throw new UsageError((error as Error).message);
  }
}

function chooseModel(options: CheckArguments, history: LoadedHistory): Model<unknown> {
  const name = options.model ?? suggestModelName(history.kind, history.operations);
  try {
    return modelByName(name, options.modelOptions);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function writeReport(path: string, result: CheckResult, model: Model<unknown>, historyPath: string): Promise<void> {
  try {
    await writeFile(path, renderHtmlReport(result, model, { title: basename(historyPath) }));
  } catch (error) {
    throw new UsageError(`cannot write the HTML report to ${path}: ${(error as Error).message}`);
  }
}

/** Calls that never completed end at +Infinity, which JSON cannot say: write "Infinity". */
function jsonReplacer(_key: string, value: unknown): unknown {
  return value === Infinity ? 'Infinity' : value;
}
