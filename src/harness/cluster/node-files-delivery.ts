/**
 * How a node's files (node-program.ts) reach /etc/quorumd before its program starts: in one
 * environment variable that the container's command writes out, then hands over to the image's
 * entry script (which runs its arguments when it has any, and the node when it has none).
 *
 * Why not the engine's copy (`withCopyContentToContainer`, a PUT of a tar archive between create
 * and start): the engine unpacks it in a process it starts for the purpose, 0.5 to 0.7 s per
 * container on a loaded 2-core machine, on the path of every cluster start. Writing a few small
 * files from the environment costs the container's shell a few forks.
 *
 * A restart runs the command again; a file that already exists is kept (as a copied file was),
 * so what the harness changed while the node ran (a libfaketime offset) survives the restart.
 * Files too large for one environment string (the kernel allows 128 KB) go by copy instead.
 */
import { nodeConfigDir, type NodeFile } from './node-program.js';

export const nodeFilesVariable = 'QUORUMCHECK_NODE_FILES';
/** Well under the kernel's 128 KB limit on one environment string. */
const variableCharsMax = 64 * 1024;
const fileNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * The variable's value, one line per file (`name mode base64`), or null when the files are too
 * large for it. Throws on a file name that is not a plain name (the format depends on it).
 */
export function encodeNodeFiles(files: readonly NodeFile[]): string | null {
  const lines = files.map((file) => {
    if (!fileNamePattern.test(file.name)) throw new RangeError(`node file name '${file.name}' is not a plain file name`);
    return `${file.name} ${(file.mode ?? 0o644).toString(8)} ${Buffer.from(file.content, 'utf8').toString('base64')}`;
  });
  const value = lines.join('\n');
  return value.length > variableCharsMax ? null : value;
}

/** The container's command: write the files out (keeping any that exist), then run the entry script. */
export function writeFilesThenEntry(directory = nodeConfigDir, entry = 'quorumcheck-node-entry'): string[] {
  const script = [
    'set -eu',
    `mkdir -p '${directory}'`,
    'while read -r name mode content; do',
    '  [ -n "$name" ] || continue',
    `  file='${directory}'/"$name"`,
    '  [ -e "$file" ] && continue',
    '  printf \'%s\' "$content" | base64 -d >"$file.part"',
    '  chmod "$mode" "$file.part"',
    '  mv "$file.part" "$file"',
    'done <<QUORUMCHECK_FILES_END',
    `$${nodeFilesVariable}`,
    'QUORUMCHECK_FILES_END',
    `unset ${nodeFilesVariable}`,
    `exec ${entry}`,
  ].join('\n');
  return ['sh', '-c', script];
}
