/**
 * A Dockerfile read as Docker's parser reads it (comments, line continuations, one instruction
 * per logical line), and the mistakes a recipe would otherwise meet only when a registry answers
 * and the build runs: an instruction Docker does not know, a build argument the code passes that
 * the recipe never declares (or one it needs that the code never passes), a variable used where
 * no ARG declares it (an ARG before the first FROM is seen by FROM lines only; a stage must
 * declare it again), a COPY --from naming no earlier stage, a COPY of a file the build context
 * does not get. For the official-image recipes, which cannot be built on our machines.
 */

export interface Instruction {
  keyword: string;
  args: string;
  /** 1-based line where the instruction starts. */
  line: number;
}

export interface RecipeInputs {
  buildArgs: Readonly<Record<string, string>>;
  /** Context-relative names the build context gets (files and directories). */
  context: readonly string[];
}

const KEYWORDS = new Set([
  'FROM', 'ARG', 'ENV', 'LABEL', 'RUN', 'COPY', 'ADD', 'ENTRYPOINT', 'CMD', 'WORKDIR', 'USER', 'EXPOSE', 'VOLUME',
  'STOPSIGNAL', 'HEALTHCHECK', 'SHELL', 'ONBUILD',
]);

export function readDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending: { text: string; line: number } | null = null;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trimEnd();
    if (/^\s*#/.test(line) || (pending === null && line.trim() === '')) return;
    const continued = line.endsWith('\\');
    const body = continued ? line.slice(0, -1) : line;
    pending = pending === null ? { text: body, line: index + 1 } : { text: `${pending.text} ${body.trim()}`, line: pending.line };
    if (continued) return;
    const match = /^\s*(\S+)\s*(.*)$/.exec(pending.text);
    if (match !== null) instructions.push({ keyword: match[1]!.toUpperCase(), args: match[2]!.trim(), line: pending.line });
    pending = null;
  });
  return instructions;
}

/** Every problem found, one sentence each naming the line; [] when none. */
export function recipeProblems(text: string, inputs: RecipeInputs): string[] {
  const problems: string[] = [];
  const instructions = readDockerfile(text);
  const globalArgs = new Map<string, string | null>();
  const declared = new Set<string>();
  const stages: string[] = [];
  let stageArgs: Set<string> | null = null;
  const passed = new Set(Object.keys(inputs.buildArgs));

  const variablesOf = (args: string): string[] => [...args.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g)].map((match) => match[1]!);
  const needPassed = (name: string, defaultValue: string | null, line: number): void => {
    if (defaultValue === null && !passed.has(name)) problems.push(`line ${line}: ARG ${name} has no default and the code passes none`);
  };

  for (const { keyword, args, line } of instructions) {
    if (!KEYWORDS.has(keyword)) {
      problems.push(`line ${line}: unknown instruction ${keyword}`);
      continue;
    }
    if (keyword === 'ARG') {
      const [name = '', ...value] = args.split('=');
      const defaultValue = value.length === 0 ? null : value.join('=');
      declared.add(name);
      if (stageArgs === null) {
        globalArgs.set(name, defaultValue);
      } else {
        stageArgs.add(name);
        // A stage's ARG takes the global value when it has one, else a build argument.
        if (!globalArgs.has(name) || globalArgs.get(name) === null) needPassed(name, defaultValue, line);
      }
      continue;
    }
    if (stageArgs === null && keyword !== 'FROM') {
      problems.push(`line ${line}: ${keyword} before the first FROM (only ARG may come first)`);
      continue;
    }
    if (keyword === 'FROM') {
      for (const name of variablesOf(args)) {
        if (!globalArgs.has(name)) problems.push(`line ${line}: FROM uses \${${name}}, which no ARG before the first FROM declares`);
        else needPassed(name, globalArgs.get(name)!, line);
      }
      const alias = /\sAS\s+(\S+)\s*$/i.exec(args)?.[1];
      if (alias !== undefined) stages.push(alias);
      stageArgs = new Set();
      continue;
    }
    if (keyword === 'RUN') continue; // a shell line: its $names may be the shell's own
    const inStage: Set<string> = stageArgs ?? new Set<string>();
    for (const name of variablesOf(args)) {
      if (!inStage.has(name)) problems.push(`line ${line}: ${keyword} uses \${${name}}, which this stage declares with no ARG`);
    }
    if (keyword === 'COPY' || keyword === 'ADD') {
      const words = args.split(/\s+/);
      const from = words.find((word) => word.startsWith('--from='))?.slice('--from='.length);
      const paths = words.filter((word) => !word.startsWith('--'));
      if (paths.length < 2) problems.push(`line ${line}: ${keyword} needs a source and a destination`);
      if (from !== undefined) {
        if (!stages.includes(from)) problems.push(`line ${line}: COPY --from=${from} names no earlier stage (stages: ${stages.join(', ') || 'none'})`);
      } else {
        for (const source of paths.slice(0, -1).filter((path) => !path.includes('$'))) {
          const name = source.replace(/\/+$/, '');
          if (!inputs.context.includes(name)) problems.push(`line ${line}: ${keyword} ${source}: the build context has no ${name} (it has ${inputs.context.join(', ') || 'nothing'})`);
        }
      }
    }
  }
  if (stageArgs === null) problems.push('no FROM: not a Dockerfile');
  for (const name of passed) {
    if (!declared.has(name)) problems.push(`the code passes build argument ${name}, which the recipe never declares`);
  }
  return problems;
}
