/**
 * The values the Docker global set-up provides to test files (vitest's provide/inject),
 * declared once for both sides. Type-only: importing it loads nothing at run time.
 */
import type { EngineStatus } from '../../src/harness/docker/engine.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dockerEngine: EngineStatus;
    /** The quorumd image built by the global set-up, or '' if it built none. */
    quorumdImage: string;
  }
}

export type { EngineStatus };
