// Lint configuration for the whole repository (kept under test/ so the top level stays as designed).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'fixtures/**', 'runs/**', '.quorumcheck/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Plain JavaScript files run on Node (its globals are known to TypeScript, not to ESLint).
    files: ['**/*.js', '**/*.mjs'],
    rules: { 'no-undef': 'off' },
  },
  {
    // The consensus core is pure: time, randomness and IO come in through interfaces.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'fs', 'net', 'os', 'path', 'crypto', 'timers'] }],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'the core takes time from its host' },
        { object: 'Math', property: 'random', message: 'the core takes randomness from its host' }],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'setImmediate', 'process', 'performance'],
    },
  },
);
