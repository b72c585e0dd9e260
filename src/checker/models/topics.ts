/**
 * The `topics` model: topic metadata as a KRaft metadata quorum keeps it, judged per topic name.
 * For each name: whether it exists, its partition count, its configs (replaced whole by
 * alter-config, so each key is in effect a register) and, where answers tell it, the topic id of
 * the incarnation that exists (so a describe that returns an older incarnation's id after a
 * delete and recreate is caught). The vocabulary is src/history/topic-operations.ts; the answers
 * a correct system gives are in topics-step.ts, the state in topics-state.ts, the split into
 * per-topic parts in topics-partition.ts.
 *
 * Calls with unknown outcome (`outputKnown: false`) take effect, when linearized, as a correct
 * system would have answered them: a create that timed out may have created the topic.
 *
 * ## list-topics: the rule, and what it cannot catch
 * Operations on different names commute, so the history is split by name and each part is checked
 * alone. list-topics reads every name at once; each list-topics call is projected into every
 * topic's part as a read of "does this name exist?" (membership of that name in the answer). This
 * is sound per name: a failure in any part is a real violation, since a linearization of the whole
 * history would project to a linearization of each part. It is weaker than whole-list atomicity:
 * the linearization point of a list may differ from part to part, so it cannot catch a list that
 * is no single snapshot. Example: a exists and b does not; one client deletes a and then creates
 * b, while a list runs concurrently with both. Answering `[a, b]` is a torn read (no instant had
 * both topics), yet each part alone accepts it: part a places the list before the delete, part b
 * after the create. Only the unpartitioned model catches it. To check lists atomically, check
 * with `partition` switched off (the whole map is the state; the list must equal the set of names
 * exactly): `topicsModelUnpartitioned`, registry name `topics-no-partition`, which is exponential
 * in concurrency across topics and so only practical on small histories.
 */
import { ILLEGAL, type Call, type Model, type StepResult } from '../model.js';
import {
  EMPTY_TOPICS_STATE,
  describeTopicsState,
  topicsStatesEqual,
  type TopicsState,
} from './topics-state.js';
import { judgeTopicCall } from './topics-step.js';
import { describeTopicCall } from './topics-describe.js';
import { partitionTopicCalls, validateTopicCall } from './topics-partition.js';
import { topicsJustInTime } from './topics-just-in-time.js';
import type { JustInTimeModel } from '../search/just-in-time.js';

export type { TopicsState } from './topics-state.js';
export { describeTopicCall } from './topics-describe.js';

function step(state: TopicsState, call: Call): StepResult<TopicsState> {
  const judged = judgeTopicCall(state, call);
  return typeof judged === 'function' ? ILLEGAL : judged;
}

function explainIllegal(state: TopicsState, call: Call): string {
  const judged = judgeTopicCall(state, call);
  return typeof judged === 'function' ? judged() : `${describeTopicCall(call)} is legal here`;
}

/** The per-topic model: the one to use (see the module comment for its list-topics rule). */
export const topicsModel: Model<TopicsState> & JustInTimeModel = {
  name: 'topics',
  init: () => EMPTY_TOPICS_STATE,
  step,
  equal: topicsStatesEqual,
  hash: (state) => state.hash,
  partition: partitionTopicCalls,
  describeCall: describeTopicCall,
  describeState: describeTopicsState,
  explainIllegal,
  // Timed-out alter-configs and grows are tried only right before a call that observes them.
  justInTime: topicsJustInTime,
};

/**
 * The same model without partitioning: list-topics is checked as one atomic snapshot of every
 * name. Calls are still validated (step throws the same clear error on a malformed call). It tells
 * the search which topic each call touches (`keysOf`, see search/independence.ts), so histories
 * without list-topics get the search's partial-order reduction; a list touches every topic.
 */
export const topicsModelUnpartitioned: Model<TopicsState> & { keysOf(call: Call): readonly string[] | undefined } = {
  ...topicsModel,
  name: 'topics-no-partition',
  step: (state, call) => {
    validateTopicCall(call);
    return step(state, call);
  },
  partition: undefined,
  keysOf: (call) => {
    const name = (call.input as { name?: unknown } | null)?.name;
    return call.f === 'list-topics' || typeof name !== 'string' ? undefined : [name];
  },
};

/**
 * The entries src/checker/models/index.ts registers (the shape of its RegisteredModel, written
 * here so this file does not import the registry that imports it). Neither model takes options.
 */
export const topicsRegistryEntries: [string, { summary: string; optionNames: readonly string[]; build: () => Model<unknown> }][] = [
  ['topics', {
    summary: 'topic metadata (create/delete/grow/alter-config/describe/list topics) checked topic by topic; list-topics read per name',
    optionNames: [],
    build: () => topicsModel as Model<unknown>,
  }],
  ['topics-no-partition', {
    summary: 'topic metadata with every topic in one state: list-topics checked as one atomic snapshot (small histories only)',
    optionNames: [],
    build: () => topicsModelUnpartitioned as Model<unknown>,
  }],
];
