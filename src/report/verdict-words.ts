/**
 * The verdict at the top of the page, in words: one headline ("Invalid: SingleLeader and
 * linearizability (topic orders) failed") and a sentence per failure naming the first violating
 * event, or the call that cannot be linearized after the longest linearizable prefix.
 */
import type { ReportData } from './report-data.js';
import type { CheckSummary } from './run-summary.js';

export interface VerdictWords {
  headline: string;
  details: string[];
}

export function describeVerdict(report: ReportData): VerdictWords {
  const summary = report.inputs.summary;
  if (summary === null) {
    return { headline: 'No verdict: results.json is missing, so the run did not finish. What it recorded is drawn below.', details: [] };
  }
  const details: string[] = [];
  const linearizability = summary.linearizability;
  // The linearizability check is told by the topic sentence below, with its witness.
  const failedChecks = summary.checks.filter((check) => check.verdict === 'invalid' && !(check.name === 'linearizability' && linearizability !== null));
  for (const check of failedChecks) {
    const first = check.firstViolation;
    const where = first === undefined ? '' : ` First violating event: ${describeFirstViolation(first, report.originNs)}.`;
    details.push(`${check.name}: ${sentence(check.message)}${where}`);
  }
  const failingTopics = linearizability?.topics.filter((topic) => topic.verdict === 'invalid') ?? [];
  if (linearizability?.verdict === 'invalid') details.push(linearizabilitySentence(report, failingTopics.map((topic) => topic.topic)));
  for (const check of summary.checks.filter((entry) => entry.verdict === 'unknown' && !(entry.name === 'linearizability' && linearizability !== null))) {
    details.push(`${check.name} is unknown: ${sentence(check.message)}`);
  }
  if (linearizability?.verdict === 'unknown') details.push(`Linearizability is unknown: ${linearizability.cause ?? 'no cause given'}.`);
  if (details.length === 0) for (const reason of summary.reasons) details.push(reason);

  const verdict = summary.verdict ?? 'unknown';
  const failed = [...failedChecks.map((check) => check.name)];
  if (linearizability?.verdict === 'invalid') {
    failed.push(failingTopics.length === 0 ? 'linearizability' : `linearizability (topic${failingTopics.length === 1 ? '' : 's'} ${failingTopics.map((topic) => topic.topic).join(', ')})`);
  }
  let headline: string;
  if (verdict === 'valid') headline = validHeadline(summary.notJudged.map((rule) => rule.rule));
  else if (verdict === 'invalid') headline = failed.length === 0 ? 'Invalid.' : `Invalid: ${joinWords(failed)} failed.`;
  else headline = 'Unknown: the checks could not decide. An unknown verdict is never a pass.';
  return { headline, details };
}

/**
 * A valid run claims only what it judged: a rule with nothing to judge (no leader superseded, no
 * answered operation...) is named as not judged, never folded into "every check passed".
 */
function validHeadline(notJudged: readonly string[]): string {
  if (notJudged.length === 0) return 'Valid: every check passed and the history is linearizable.';
  const linearizable = notJudged.includes('linearizability') ? '' : ' and the history is linearizable';
  return `Valid: every judged check passed${linearizable}; nothing to judge for ${joinWords(notJudged)}.`;
}

function linearizabilitySentence(report: ReportData, topics: readonly string[]): string {
  const failure = report.failure;
  if (failure.kind !== 'found') {
    return `Not linearizable${topics.length === 0 ? '' : ` (topic ${topics.join(', ')})`}.`;
  }
  const { failure: witness, model } = failure.witness;
  const tried = witness.triedStates[0];
  return `Topic ${witness.partition} is not linearizable: after the ${witness.longestPrefix.length} calls of its longest linearizable prefix, ` +
    `"${model.describeCall(witness.failingCall)}" (process ${String(witness.failingCall.process)}, history index ${witness.failingCall.invokeIndex}) cannot follow` +
    `${tried === undefined ? '' : `: ${tried.reason}`}.`;
}

/** A message ending in a full stop, so a following sentence reads as one. */
function sentence(message: string): string {
  return message === '' || /[.!?]$/.test(message) ? message : `${message}.`;
}

function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** "node 2 at 3.841 s: became-leader epoch 2"; the node or time left out where unknown. */
export function describeFirstViolation(first: NonNullable<CheckSummary['firstViolation']>, originNs: number): string {
  const who = first.node === null ? '' : `node ${first.node}`;
  const when = first.timeNs === null ? '' : `at ${((first.timeNs - originNs) / 1e9).toFixed(3)} s`;
  const what = [first.kind, first.detail].filter((part) => part !== '').join(' ');
  const place = [who, when].filter((part) => part !== '').join(' ');
  return place === '' ? what : what === '' ? place : `${place}: ${what}`;
}
