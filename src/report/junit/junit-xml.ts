/**
 * JUnit XML for CI dashboards: one test suite per conformance run, one test case per run. A
 * failing run's <failure> names each failed check (with its first violating event where known)
 * and the run directory; an unknown verdict is an <error> (the suite could not decide, which is
 * never a pass). The layout is the one Jenkins, GitLab and GitHub's test reporters read
 * (testsuites > testsuite > testcase > failure | error, system-out).
 */
import type { RunSummary } from '../run-summary.js';

export interface JunitRun {
  summary: RunSummary;
  /** The run directory, as the reader should find it (relative to the job's workspace). */
  directory: string;
}

export function junitXml(suiteName: string, runs: readonly JunitRun[], timestamp: Date): string {
  const failures = runs.filter((run) => run.summary.verdict === 'invalid').length;
  const errors = runs.filter((run) => run.summary.verdict !== 'valid' && run.summary.verdict !== 'invalid').length;
  const seconds = runs.reduce((sum, run) => sum + (run.summary.durationMs ?? 0), 0) / 1000;
  const cases = runs.map(testCase).join('\n');
  const attributes = `name="${xml(suiteName)}" tests="${runs.length}" failures="${failures}" errors="${errors}" skipped="0" ` +
    `time="${seconds.toFixed(3)}" timestamp="${timestamp.toISOString().replace(/\.\d{3}Z$/, '')}"`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ${attributes}>\n<testsuite ${attributes}>\n${cases}\n</testsuite>\n</testsuites>\n`;
}

function testCase(run: JunitRun): string {
  const summary = run.summary;
  const name = `${summary.name ?? 'run'}${summary.seed === null ? '' : ` seed ${summary.seed}`}`;
  const className = ['quorumcheck', summary.env ?? 'run', summary.system ?? 'system'].join('.');
  const time = ((summary.durationMs ?? 0) / 1000).toFixed(3);
  const reproduce = summary.command === null ? '' : `\nreproduce with: ${summary.command}`;
  const out = `<system-out>${xml(`run directory: ${run.directory}${reproduce}`)}</system-out>`;
  const open = `<testcase name="${xml(name)}" classname="${xml(className)}" time="${time}">`;
  if (summary.verdict === 'valid') return `${open}${out}</testcase>`;
  if (summary.verdict === 'invalid') {
    const failed = failedChecks(summary);
    const message = `${failed.map((check) => check.name).join(', ') || 'the run'} failed; run directory ${run.directory}`;
    const body = failed.map((check) => `${check.name}: ${check.text}`).join('\n');
    return `${open}<failure message="${xml(message)}" type="invalid">${xml(`${body}${reproduce}`)}</failure>${out}</testcase>`;
  }
  const cause = summary.verdict === null ? 'no verdict: results.json is missing or unreadable' : unknownCause(summary);
  return `${open}<error message="${xml(`unknown: ${cause}; run directory ${run.directory}`)}" type="unknown">${xml(`${cause}${reproduce}`)}</error>${out}</testcase>`;
}

function failedChecks(summary: RunSummary): { name: string; text: string }[] {
  const failed = summary.checks.filter((check) => check.verdict === 'invalid').map((check) => {
    const first = check.firstViolation;
    const where = first === undefined ? '' : ` (first violation: ${[first.node === null ? '' : `node ${first.node}`, first.kind, first.detail].filter((part) => part !== '').join(' ')})`;
    return { name: check.name, text: `${check.message}${where}` };
  });
  if (failed.length > 0) return failed;
  // An older results file without a checks list: its reasons stand in.
  return summary.reasons.map((reason) => ({ name: reason.split(/[:(]/)[0]?.trim() ?? 'check', text: reason }));
}

function unknownCause(summary: RunSummary): string {
  const unknown = summary.checks.filter((check) => check.verdict === 'unknown').map((check) => `${check.name}: ${check.message}`);
  return unknown.length > 0 ? unknown.join('; ') : summary.linearizability?.cause ?? 'the checks could not decide';
}

/** Text safe in XML content and double-quoted attributes; characters XML 1.0 cannot hold are dropped. */
function xml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
