/**
 * Runs the `docker` command-line client. Image building (import, legacy build, tag look-ups) goes
 * through the CLI rather than the Engine API because `docker import` from a tar stream and the
 * legacy builder's progress output are simplest there; containers and networks go through
 * testcontainers. Every failure names the command and carries Docker's own message.
 */
import { execa, execaSync } from 'execa';

/** Prints one line of progress; callers pass `console.log`, a test's logger, or nothing. */
export type ProgressLog = (line: string) => void;

export class DockerCommandError extends Error {
  readonly code = 'DOCKER_COMMAND_FAILED';
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
    options?: { cause?: unknown },
  ) {
    super(`docker ${args.join(' ')} failed: ${stderr.trim() || 'no message'}`, options);
    this.name = 'DockerCommandError';
  }
}

export interface DockerRunOptions {
  /** Bytes or a file path streamed to the command's standard input. */
  input?: string | Buffer;
  inputFile?: string;
  /** Environment added to this process's own. */
  env?: Record<string, string>;
  cwd?: string;
  /** Called with each line of output while the command runs (long builds print progress). */
  onLine?: ProgressLog;
}

/** Runs `docker <args>` and returns its trimmed standard output; throws DockerCommandError. */
export async function docker(args: readonly string[], options: DockerRunOptions = {}): Promise<string> {
  const subprocess = execa('docker', args, {
    input: options.input,
    inputFile: options.inputFile,
    env: options.env,
    cwd: options.cwd,
    reject: false,
    all: options.onLine !== undefined,
    stripFinalNewline: true,
  });
  if (options.onLine !== undefined) {
    const onLine = options.onLine;
    subprocess.all?.setEncoding('utf8');
    let pending = '';
    subprocess.all?.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') onLine(line);
    });
  }
  const result = await subprocess;
  if (result.exitCode !== 0 || result.failed) {
    const message = String(result.stderr || result.all || result.shortMessage);
    throw new DockerCommandError(args, message, { cause: result });
  }
  return String(result.stdout).trim();
}

/** The synchronous form, for process 'exit' handlers where nothing asynchronous can run. */
export function dockerSync(args: readonly string[]): string {
  const result = execaSync('docker', args, { reject: false });
  if (result.exitCode !== 0 || result.failed) {
    throw new DockerCommandError(args, String(result.stderr || result.shortMessage), { cause: result });
  }
  return String(result.stdout).trim();
}

/** Whether an image (name:tag or id) exists in the local engine. */
export async function imageExists(image: string): Promise<boolean> {
  try {
    await docker(['image', 'inspect', '--format', '{{.Id}}', image]);
    return true;
  } catch (error) {
    if (error instanceof DockerCommandError && /no such image/i.test(error.stderr)) return false;
    throw error;
  }
}
