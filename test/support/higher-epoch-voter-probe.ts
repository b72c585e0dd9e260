/**
 * Finds, in a run's node events, the situation behind sweep seed 937162992: a voter of a leader's
 * voter set sits in a newer epoch than that leader, without a leader (unattached, prospective or
 * candidate), while the leader goes on leading its older epoch. The voter cannot follow a leader
 * of an older epoch, and with pre-vote it cannot bring the leader to its epoch either (pre-votes
 * raise no epoch, and the leader's followers refuse them), so only the leader learning the newer
 * epoch ends it. In the seed node 3 sat prospective in epoch 3 from 10.2 s to the end of the run
 * while node 4 led epoch 2 with voters {3, 4, 5}.
 *
 * Each stretch of time one (voter, leader) pair spends so is an episode. The regression test
 * asserts that the seed reaches the situation (so a seed that drifts away fails instead of passing
 * vacuously) and that every episode ends within a bound.
 *
 * States come from epoch-changed events, voter sets from the leader's voters-changed events (a
 * leader whose log named none yet counts every node). A node's state is its last event's, so a
 * node stopped by the nemesis keeps its last state until it starts again.
 */
import type { NodeEvent, RaftStateName } from '../../src/history/node-event.js';
import { mergeStreams } from '../../src/run/checks/invariants.js';

export interface HigherEpochEpisode {
  voter: number;
  voterEpoch: number;
  leader: number;
  leaderEpoch: number;
  fromMs: number;
  /** When it ended (the run's last event, if it never did). */
  toMs: number;
  ended: boolean;
  /** Whether the voter stood (prospective) in its newer epoch during the episode, as node 3 did. */
  stood: boolean;
}

interface NodeState {
  epoch: number;
  state: RaftStateName;
}

const LEADERLESS: ReadonlySet<RaftStateName> = new Set(['unattached', 'prospective', 'candidate']);

/** Every episode of a voter in a newer epoch than a leader whose voter set holds it, in order of start. */
export function higherEpochVoterEpisodes(nodeLogs: readonly { events: readonly NodeEvent[] }[]): HigherEpochEpisode[] {
  const states = new Map<number, NodeState>();
  const voterSets = new Map<number, ReadonlySet<number>>();
  const open = new Map<string, HigherEpochEpisode>();
  const episodes: HigherEpochEpisode[] = [];
  let lastMs = 0;

  const current = (): Map<string, Omit<HigherEpochEpisode, 'fromMs' | 'toMs' | 'ended'>> => {
    const found = new Map<string, Omit<HigherEpochEpisode, 'fromMs' | 'toMs' | 'ended'>>();
    for (const [leader, leaderState] of states) {
      if (leaderState.state !== 'leader') continue;
      const voters = voterSets.get(leader);
      for (const [voter, voterState] of states) {
        if (voter === leader || voterState.epoch <= leaderState.epoch || !LEADERLESS.has(voterState.state)) continue;
        if (voters !== undefined && !voters.has(voter)) continue;
        found.set(`${voter}/${leader}/${leaderState.epoch}`, {
          voter, voterEpoch: voterState.epoch, leader, leaderEpoch: leaderState.epoch, stood: voterState.state === 'prospective',
        });
      }
    }
    return found;
  };

  mergeStreams(nodeLogs.map((log) => log.events), (event) => {
    lastMs = event.timeNs / 1e6;
    if (event.kind === 'epoch-changed' && event.state !== undefined) {
      states.set(event.node, { epoch: event.epoch, state: event.state });
    } else if (event.kind === 'voters-changed' && event.voters !== undefined) {
      voterSets.set(event.node, new Set(event.voters.map((voter) => Number(voter.split('@')[0]))));
    } else {
      return;
    }
    const now = current();
    for (const [key, episode] of open) {
      if (now.has(key)) continue;
      open.delete(key);
      episodes.push({ ...episode, toMs: lastMs, ended: true });
    }
    for (const [key, pair] of now) {
      const episode = open.get(key);
      if (episode === undefined) open.set(key, { ...pair, fromMs: lastMs, toMs: lastMs, ended: false });
      else episode.stood ||= pair.stood;
    }
  });
  for (const episode of open.values()) episodes.push({ ...episode, toMs: lastMs, ended: false });
  return episodes.sort((a, b) => a.fromMs - b.fromMs);
}

/** One line per episode, for a failing assertion's message. */
export function describeEpisodes(episodes: readonly HigherEpochEpisode[]): string {
  return episodes.map((e) => `node ${e.voter} in epoch ${e.voterEpoch} while node ${e.leader} led epoch ${e.leaderEpoch}: ` +
    `${e.fromMs.toFixed(1)}-${e.toMs.toFixed(1)} ms${e.stood ? ', standing' : ''}${e.ended ? '' : ' (to the end of the run)'}`).join('; ');
}
