/** Dispatch of `<program> <subcommand> [args]` to lazily loaded command modules. */

export interface CommandModule {
  /** Runs the command with its own arguments and returns the exit code. */
  main(args: string[]): Promise<number>;
}

export interface Subcommand {
  summary: string;
  load: () => Promise<CommandModule>;
}

/** quorumcheck's exit codes, for every command. */
export const EXIT_VALID = 0;
export const EXIT_INVALID = 1;
export const EXIT_UNKNOWN = 2;
/** Bad arguments, or input or set-up that does not let the command start (no engine, no image): no verdict. */
export const EXIT_USAGE = 3;

/**
 * Runs the named subcommand. A missing or unknown command exits `usageExitCode`: 3 for
 * quorumcheck (EXIT_USAGE); quorumd keeps its own 2.
 */
export async function runSubcommand(
  program: string,
  subcommands: Record<string, Subcommand>,
  argv: string[],
  usageExitCode = EXIT_USAGE,
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage(program, subcommands));
    return name === undefined ? usageExitCode : EXIT_VALID;
  }
  const subcommand = subcommands[name];
  if (subcommand === undefined) {
    process.stderr.write(`${program}: unknown command '${name}'\n\n${usage(program, subcommands)}`);
    return usageExitCode;
  }
  const command = await subcommand.load();
  return command.main(rest);
}

function usage(program: string, subcommands: Record<string, Subcommand>): string {
  const width = Math.max(...Object.keys(subcommands).map((name) => name.length));
  const lines = Object.entries(subcommands).map(
    ([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`,
  );
  return `usage: ${program} <command> [options]\n\ncommands:\n${lines.join('\n')}\n\n` +
    `Run '${program} <command> --help' for a command's options.\n`;
}
