import { describe, expect, it } from 'vitest';
import { outermostPackagePaths, productionModules } from '../../../src/harness/docker/production-modules.js';
import { repositoryRoot } from '../../../src/harness/docker/project-paths.js';

describe('production modules', () => {
  it('takes the runtime dependencies from package-lock.json and leaves the dev tools out', async () => {
    const { packagePaths } = await productionModules(repositoryRoot);
    expect(packagePaths).toContain('node_modules/kafkajs');
    expect(packagePaths).toContain('node_modules/testcontainers');
    expect(packagePaths).toContain('node_modules/execa');
    expect(packagePaths).not.toContain('node_modules/vitest');
    expect(packagePaths).not.toContain('node_modules/typescript');
    expect(packagePaths).not.toContain('node_modules/eslint');
  });

  it('copies nested packages with their parents, not twice', () => {
    expect(outermostPackagePaths([
      'node_modules/a',
      'node_modules/a-b',
      'node_modules/a/node_modules/c',
      'node_modules/@s/p/node_modules/d',
      'node_modules/@s/p',
      'node_modules/x/node_modules/y',
    ])).toEqual(['node_modules/a', 'node_modules/a-b', 'node_modules/@s/p', 'node_modules/x/node_modules/y']);
  });
});
