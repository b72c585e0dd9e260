/**
 * Which installed packages the image needs: the production dependency closure, read from
 * package-lock.json (every package npm did not mark `dev`). Copying these from the existing
 * node_modules gives the image what `npm ci --omit=dev` would, with no network and no install.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

interface LockedPackage {
  version?: string;
  integrity?: string;
  dev?: boolean;
  optional?: boolean;
  link?: boolean;
}

export interface ProductionModules {
  /** Paths relative to the repository root (`node_modules/a`, `node_modules/a/node_modules/b`). */
  packagePaths: string[];
  /** Names and versions of every copied package, for the image's content hash. */
  fingerprint: string[];
}

export async function productionModules(repositoryRoot: string): Promise<ProductionModules> {
  const lockPath = path.join(repositoryRoot, 'package-lock.json');
  const lock = JSON.parse(await readFile(lockPath, 'utf8')) as { lockfileVersion?: number; packages?: Record<string, LockedPackage> };
  if (lock.packages === undefined || (lock.lockfileVersion ?? 0) < 2) {
    throw new Error(`${lockPath}: expected lockfileVersion 2 or 3 with a "packages" map`);
  }
  const packagePaths: string[] = [];
  const fingerprint: string[] = [];
  for (const [packagePath, locked] of Object.entries(lock.packages)) {
    if (packagePath === '' || locked.dev === true || locked.link === true) continue;
    const installed = existsSync(path.join(repositoryRoot, packagePath));
    // Optional packages for other platforms are locked but never installed: nothing to copy.
    if (!installed && locked.optional === true) continue;
    if (!installed) throw new Error(`${packagePath} is a production dependency but is not installed; run npm ci`);
    packagePaths.push(packagePath);
    fingerprint.push(`${packagePath}@${locked.version ?? '?'}#${locked.integrity ?? ''}`);
  }
  return { packagePaths, fingerprint };
}

/** Nested packages sit inside their parents' folders; copying only the outermost copies all. */
export function outermostPackagePaths(packagePaths: readonly string[]): string[] {
  const all = new Set(packagePaths);
  return packagePaths.filter((candidate) => {
    const segments = candidate.split('/node_modules/');
    for (let depth = 1; depth < segments.length; depth += 1) {
      if (all.has(segments.slice(0, depth).join('/node_modules/'))) return false;
    }
    return true;
  });
}
