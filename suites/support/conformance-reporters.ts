/**
 * The reporters of `npm run conformance` (suites/conformance.config.ts): the terminal's, and the
 * report's publisher, which after the last case writes JUnit XML and a trend line from the run
 * directories the cases left under runs/conformance/<case>/. More reporters go here.
 */
import { ConformancePublisher } from '../../src/report/conformance-outputs.js';
import { conformanceRunsRoot } from './conformance-run.js';

export function conformanceReporters(): (string | ConformancePublisher)[] {
  return ['default', new ConformancePublisher(conformanceRunsRoot)];
}
