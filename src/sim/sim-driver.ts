/**
 * Runs a Simulation for asynchronous callers: the run pipeline awaits the simulator world's
 * promises (a sleep, a client's operation) exactly as it awaits Docker's, and the driver advances
 * simulated time only while at least one such promise is pending. When the pipeline awaits
 * something real instead (a file write, the checker), the simulation stands still, so how much
 * simulated time passes never depends on wall time.
 *
 * Determinism: after every event that resolved a promise, the driver yields one turn, so every
 * continuation the resolution set off runs, in JavaScript's fixed microtask order, before the next
 * event, at the simulated time it belongs to. Events that resolve nothing (messages, timers: most
 * of them) run back to back without yielding.
 *
 * A turn is a process.nextTick: Node runs a tick only once the microtask queue is empty, and runs
 * every tick queued before it (and the microtasks each sets off) first, so a chain of continuations
 * of any depth has run when the driver resumes, as after a macrotask. It costs far less than one
 * (setImmediate: a pass of the event loop, with a poll of the OS, 3.7 us of CPU each; a membership
 * run yields about 60 times per simulated second). Every REAL_TURN_EVERY turns the driver yields a
 * real macrotask, so I/O and timers outside the simulation (a sweep worker's messages, a signal)
 * are never starved for long. Which turns are real depends on the count alone.
 */
import { caughtReject, caughtResolve, newPromise } from './caught-resolvers.js';
import type { Simulation } from './simulation.js';

/** How the halt reason of a driver stuck on a wait no event will end begins (a bug, not a verdict). */
export const SIM_DRIVER_STUCK = 'the run was still waiting';

/** Every this many turns, one is a macrotask (setImmediate) rather than a tick: see the module comment. */
const REAL_TURN_EVERY = 64;

export interface SimDriverOptions {
  /**
   * Simulated time the driver may reach at most: a pipeline still waiting then is stuck on a
   * promise no event will resolve (a bug), and the driver halts rather than simulate forever.
   */
  simulatedMsMax: number;
}

/**
 * Already settled: `.then` on it queues a job at once. The loop resumes in such a job, exactly where
 * resolving the promise it used to await put its continuation (one job after the resolution).
 */
const SETTLED = Promise.resolve();

export class SimDriver {
  private waiters = 0;
  private parked: (() => void) | null = null;
  private running = false;
  private stopped = false;
  private turns = 0;
  private resolveHalted: (reason: string) => void = () => undefined;
  /** Resolves with the reason when the simulation halts (see Simulation.halted) or the driver gives up. */
  readonly halted: Promise<string>;
  private haltReason: string | null = null;

  constructor(private readonly simulation: Simulation, private readonly options: SimDriverOptions) {
    this.halted = new Promise((resolve) => {
      this.resolveHalted = resolve;
    });
  }

  /**
   * A promise settled from inside a simulation event: `register` is given the settle function
   * and arranges for an event to call it. The simulation runs while any such promise is pending.
   */
  wait<T>(register: (settle: (value: T) => void) => void): Promise<T> {
    if (this.stopped) return new Promise<T>(() => undefined);
    this.waiters += 1;
    const promise = newPromise<T>();
    const resolve = caughtResolve<T>();
    const reject = caughtReject();
    let settled = false;
    try {
      register((value) => {
        if (settled) return;
        settled = true;
        this.waiters -= 1;
        this.simulation.markSettled();
        resolve(value);
      });
    } catch (error) {
      // As when `register` ran inside the promise's executor: what it throws rejects the promise.
      reject(error);
    }
    this.ensureRunning();
    return promise;
  }

  sleep(ms: number): Promise<void> {
    // The queue calls `settle` with no argument: settled with undefined, as a void promise is.
    return this.wait<void>((settle) => this.simulation.after(Math.max(0, ms), settle as () => void));
  }

  /** Stops for good: nothing more is simulated, pending promises never settle. */
  stop(): void {
    this.stopped = true;
    this.wakeUp();
  }

  get isHalted(): string | null {
    return this.haltReason;
  }

  private ensureRunning(): void {
    if (!this.running) {
      this.running = true;
      // Started from inside a wait: let the caller register the rest of its waits first.
      this.realTurn();
    } else {
      this.wakeUp();
    }
  }

  /**
   * The loop, written as callbacks rather than an async function that awaits a new promise per
   * turn: a membership run takes about 4,800 turns in 20 simulated seconds, and each made a promise,
   * its resolving functions, the await's closures and reactions. Every way back into the loop is
   * still a promise job queued where the awaited promise's resolution queued it (SETTLED), so every
   * continuation runs in the same order as before.
   */
  private readonly resume = (): void => this.runEvents();
  private readonly queueResume = (): void => void SETTLED.then(this.resume);
  /** After a park: one macrotask turn (realTurn), as at the start. */
  private readonly unpark = (): void => void SETTLED.then(this.realTurnAfterPark);
  private readonly realTurnAfterPark = (): void => this.realTurn();

  /**
   * One macrotask turn: every continuation already set off runs first, and with them every wait
   * they register, so time never advances while a caller is still lining up its waits.
   */
  private realTurn(): void {
    setImmediate(this.queueResume);
  }

  /** After an event that resolved a promise: the continuations it set off run first (module comment). */
  private settleTurn(): void {
    this.turns += 1;
    if (this.turns % REAL_TURN_EVERY === 0) this.realTurn();
    else process.nextTick(this.queueResume);
  }

  private wakeUp(): void {
    const parked = this.parked;
    this.parked = null;
    parked?.();
  }

  /** Runs events until one resolves a promise (then a turn), nothing waits (then it parks), or the end. */
  private runEvents(): void {
    const simulation = this.simulation;
    while (!this.stopped) {
      if (this.waiters === 0) {
        this.parked = this.unpark;
        return;
      }
      if (!simulation.runNext()) {
        this.halt(simulation.halted ?? 'the simulation ran out of events while the run still waited on it');
        return;
      }
      if (simulation.nowMs() > this.options.simulatedMsMax) {
        this.halt(`${SIM_DRIVER_STUCK} after ${this.options.simulatedMsMax} simulated ms: a wait no event will end`);
        return;
      }
      if (simulation.takeSettled()) {
        this.settleTurn();
        return;
      }
    }
  }

  private halt(reason: string): void {
    this.haltReason = reason;
    this.stopped = true;
    this.resolveHalted(reason);
  }
}
