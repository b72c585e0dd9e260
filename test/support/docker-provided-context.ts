/**
 * The value the Docker global set-up provides to test files (vitest's provide/inject), declared
 * once for both sides. Type-only: importing it loads nothing at run time.
 */
import type { EngineStatus } from '../../src/harness/docker/engine.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dockerEngine: EngineStatus;
  }
}

export type { EngineStatus };
