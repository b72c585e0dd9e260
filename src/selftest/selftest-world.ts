/**
 * The worlds a selftest run uses: the run pipeline's own (src/run), with one fault the pipeline's
 * schedule cannot aim: in the simulator, a voter that crashes right after it grants a vote and is
 * back VOTER_DOWN_MS later (the moment a vote that was not yet durable is forgotten).
 */
import type { RunEnv } from '../history/run-directory-format.js';
import type { WorldMaker } from '../run/run-once.js';
import { simWorldMaker, type SimWorld } from '../run/worlds/sim-world.js';

/** Down this long after its vote: back while the election it voted in is still on. */
const VOTER_DOWN_MS = 5;
/** At most one such crash per node in this long, so the cluster still gets work done between. */
const VOTER_CRASH_GAP_MS = 1_000;

/** A sim world whose voters crash right after each vote (at most one crash per node a second). */
export function crashAfterVoteWorld(): WorldMaker {
  return async (plan, log) => {
    let world: SimWorld | null = null;
    const lastCrashMs = new Map<number, number>();
    const made = await simWorldMaker({
      hooks: {
        onEvent: (event) => {
          if (event.kind !== 'vote-granted' || world === null) return;
          const simulation = world.simulation;
          const nowMs = simulation.nowMs();
          if (nowMs - (lastCrashMs.get(event.node) ?? -Infinity) < VOTER_CRASH_GAP_MS) return;
          lastCrashMs.set(event.node, nowMs);
          // After the node's step: what it persisted and sent with the vote is out by then.
          simulation.after(0, () => {
            if (simulation.nodeStatus(event.node) !== 'running') return;
            simulation.crash(event.node);
            simulation.after(VOTER_DOWN_MS, () => simulation.restart(event.node));
          });
        },
      },
    })(plan, log);
    world = made;
    return made;
  };
}

/** The world maker of `env` for a scenario; Docker's is loaded only when asked for. */
export async function selftestWorldMaker(env: RunEnv, crashAfterVote: boolean): Promise<WorldMaker> {
  if (env === 'sim') return crashAfterVote ? crashAfterVoteWorld() : simWorldMaker();
  // Loaded only when asked for: it pulls in the container harness.
  const { createDockerWorld } = await import('../run/worlds/docker-world.js');
  return (plan, log) => createDockerWorld({ topology: plan.topology, nodeConfig: plan.options.nodeConfig, seed: plan.options.seed, log });
}
