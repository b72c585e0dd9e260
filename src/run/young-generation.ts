/**
 * The young generation V8 runs the simulator with: sweep workers get it as a resource limit
 * (sweep.ts), and the quorumcheck command itself from its launcher line (cli/quorumcheck.ts, which
 * must say the same number: test/run/young-generation.test.ts holds them together).
 *
 * Why larger than V8's default (16 MiB semi-spaces on 64-bit): a simulated run allocates about
 * 0.75 MB per simulated second, most of it short-lived, but it keeps its history and every node's
 * events until its checks are done. With 16 MiB semi-spaces the sim-membership-speed seeds saw
 * 11 scavenges per 200 simulated s, and what a run keeps was copied once inside the young
 * generation and once more into the old one (16 MB per 200 simulated s), a seventh of the
 * process's CPU, most of it on V8's helper threads. With 64 MiB most of a seed's run dies young:
 * 2.8 scavenges and 10 MB copied per 200 simulated s; V8's helper threads fall from 22 % of the
 * process's CPU to 17 %.
 *
 * What it gives depends on the run: about 1.10x on sim-membership-speed's one-core figure and on
 * sweeps with membership faults, nothing measurable on sweeps of the default draw. The cost is
 * memory: a peak resident size about 80 MB larger per isolate (139 -> 223 MB for the bench's
 * one-core child; 2 sweep workers 241-273 -> 405-433 MB), so a sweep with --jobs N holds about
 * N x 80 MB more.
 */
export const SIM_SEMI_SPACE_MIB = 64;

/**
 * The same for a worker thread (`resourceLimits.maxYoungGenerationSizeMb`): V8 (11, in Node 20)
 * sizes a young generation as three semi-spaces, the two the scavenger copies between and a new
 * large-object space as large; the test checks it on the Node that runs it.
 */
export const SIM_YOUNG_GENERATION_MIB = 3 * SIM_SEMI_SPACE_MIB;
