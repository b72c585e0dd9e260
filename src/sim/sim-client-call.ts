/**
 * One client's call to a simulated node (Simulation.clientCall): the connection's life as one
 * object, whose steps the simulation's queue runs by number. It was a dozen closures per call (the
 * arrival, the start, the connection's close and its removal, each answer and each way to end),
 * 3-4% of what the steady-state simulator allocated; the steps and their order are the same.
 */
import type { SimMetadataPort } from './sim-metadata-port.js';
import type { NodeCall, SimNode } from './sim-node.js';

/** How a client's call to a node ended. */
export type ClientCallOutcome<R> =
  | { kind: 'answer'; value: R }
  /** The node was down: nothing was sent. */
  | { kind: 'refused' }
  /** The node went down while the call was open: it may or may not have taken effect. */
  | { kind: 'closed' }
  /** No answer within the client's timeout. */
  | { kind: 'timeout' };

/** The steps of a call the queue runs (Simulation dispatches them to ClientCall.step). */
export const CALL_ARRIVE = 0;
export const CALL_CLOSED = 1;
export const CALL_ANSWERED = 2;
export const CALL_REFUSED = 3;
export const CALL_TIMED_OUT = 4;

/** What the simulation's queue runs of a call. */
export interface CallSteps {
  step(step: number): void;
}

/** What a call needs of its simulation. */
export interface CallHost {
  /** Run `call`'s `step` after a client's network delay (drawn now). */
  stepAfterClientDelay(call: CallSteps, step: number): void;
  /** A promise was settled: the driver lets its continuations run. */
  markSettled(): void;
  /** A Kafka request handler threw on `nodeId`: the simulation halts and says why. */
  handlerThrew(nodeId: number, error: unknown): void;
}

// The outcomes without a value carry nothing of their call: one object each serves every call.
const CLOSED: ClientCallOutcome<never> = Object.freeze({ kind: 'closed' });
const REFUSED: ClientCallOutcome<never> = Object.freeze({ kind: 'refused' });
const TIMED_OUT: ClientCallOutcome<never> = Object.freeze({ kind: 'timeout' });

export class ClientCall<R> implements NodeCall, CallSteps {
  private finished = false;
  private tracked = false;
  private answer: R | undefined = undefined;

  constructor(
    private readonly host: CallHost,
    private readonly node: SimNode,
    private readonly port: SimMetadataPort,
    private readonly serve: (port: SimMetadataPort) => Promise<R>,
    private readonly done: (outcome: ClientCallOutcome<R>) => void,
  ) {}

  /** Runs one of the CALL_ steps, from the simulation's queue. */
  step(step: number): void {
    switch (step) {
      case CALL_ARRIVE:
        if (!this.node.acceptCall(this)) this.host.stepAfterClientDelay(this, CALL_REFUSED);
        return;
      case CALL_CLOSED:
        this.finish(CLOSED);
        return;
      case CALL_ANSWERED:
        this.finish({ kind: 'answer', value: this.answer as R });
        return;
      case CALL_REFUSED:
        this.finish(REFUSED);
        return;
      case CALL_TIMED_OUT:
        this.finish(TIMED_OUT);
        return;
    }
  }

  /** The node takes the connection (now, or when it resumes from a pause) and serves the request. */
  start(): void {
    if (this.finished) return;
    const node = this.node;
    const incarnation = node.incarnation;
    node.trackCall(this);
    this.tracked = true;
    this.serve(this.port).then((value) => {
      if (this.finished || node.incarnation !== incarnation || node.isDown) return;
      this.answer = value;
      this.host.stepAfterClientDelay(this, CALL_ANSWERED);
    }, (error: unknown) => {
      this.host.handlerThrew(node.nodeId, error);
    });
  }

  /** The node went down with the connection open. */
  closeConnection(): void {
    this.host.stepAfterClientDelay(this, CALL_CLOSED);
  }

  private finish(outcome: ClientCallOutcome<R>): void {
    if (this.finished) return;
    this.finished = true;
    if (this.tracked) this.node.untrackCall(this);
    this.host.markSettled();
    this.done(outcome);
  }
}
