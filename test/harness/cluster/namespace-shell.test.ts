/**
 * The long-lived shell the nsenter path runs its commands through: arguments pass untouched,
 * input arrives as given, each command's exit code and output come back to its own caller, and
 * a closed shell refuses work. (Containers are not needed: any command will do.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NamespaceShell, shellQuote } from '../../../src/harness/cluster/namespace-shell.js';

describe('the namespace shell', () => {
  let shell: NamespaceShell;
  afterEach(() => shell?.close());

  it('passes arguments as they are, quotes and dollars included', async () => {
    shell = new NamespaceShell();
    const outcome = await shell.run({ argv: ['printf', '%s|%s', "it's $HOME", '`date`; rm -rf /nothing'] });
    expect(outcome).toEqual({ exitCode: 0, stdout: "it's $HOME|`date`; rm -rf /nothing", stderr: "it's $HOME|`date`; rm -rf /nothing" });
    expect(shellQuote("a'b")).toBe(`'a'\\''b'`);
  });

  it('gives a command its input and each caller its own exit code and output, for commands started together', async () => {
    shell = new NamespaceShell();
    const [catted, failed, counted] = await Promise.all([
      shell.run({ argv: ['cat'], input: '*filter\n:QUORUMCHECK - [0:0]\nCOMMIT\n' }),
      shell.run({ argv: ['sh', '-c', 'echo no such chain >&2; exit 3'] }),
      shell.run({ argv: ['wc', '-l'], input: 'one\ntwo' }),
    ]);
    expect(catted).toMatchObject({ exitCode: 0, stdout: '*filter\n:QUORUMCHECK - [0:0]\nCOMMIT' });
    expect(failed).toMatchObject({ exitCode: 3, stderr: 'no such chain' });
    expect(counted.stdout.trim()).toBe('2');
    // A second batch on the same shell.
    expect(await shell.run({ argv: ['true'] })).toMatchObject({ exitCode: 0 });
  });

  it('a closed shell refuses work', async () => {
    shell = new NamespaceShell();
    shell.close();
    await expect(shell.run({ argv: ['true'] })).rejects.toThrow(/closed/);
  });
});
