/**
 * Where the repository's container recipes and build outputs live, found from this file's own
 * location so it works both from src/ (tsx, vitest) and from dist/ (the built CLI): both sit
 * three levels below the repository root.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** docker/: the engine set-up script and the Dockerfiles. */
export const dockerRecipeDir = path.join(repositoryRoot, 'docker');

/** Scratch space for image contexts and locks; ignored by git (.quorumcheck/). */
export const scratchDir = path.join(repositoryRoot, '.quorumcheck');
