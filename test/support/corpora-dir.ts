/**
 * Where the shared test corpora are: $QUORUMCHECK_CORPORA, else the shared/ folder beside this
 * repository (how developers' machines and CI lay it out), else /work/shared.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const besideRepository = fileURLToPath(new URL('../../../shared/corpora', import.meta.url));

export const CORPORA_DIR: string = process.env['QUORUMCHECK_CORPORA'] ??
  (existsSync(besideRepository) ? besideRepository : '/work/shared/corpora');
