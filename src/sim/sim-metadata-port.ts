/**
 * A simulated node's MetadataPort: what the Kafka request handlers (src/kafka/handlers) use to
 * reach the node they run on, as quorumd's QuorumHost is on a real host. A submission goes to
 * the node's core at once (the handler runs inside the node) and resolves with the core's
 * ClientResponse; if the node goes down first, it never resolves, as a dead process answers
 * nothing (the client's connection is closed instead, see Simulation.clientCall).
 */
import type { ClientRequest, ClientResponse } from '../core/host-interface.js';
import { controllerIdForClients } from '../core/controller-for-clients.js';
import type { MetadataImage, MetadataOperation } from '../core/metadata/index.js';
import type { MetadataPort, SubmitOptions } from '../kafka/handlers/metadata-port.js';
import { caughtReject, caughtResolve, newPromise } from './caught-resolvers.js';
import { SIM_CLUSTER_ID } from './quorum-node-core.js';
import type { SimNode } from './sim-node.js';

/** What the port needs of its simulation. */
export interface PortHost {
  nowMs(): number;
  newRequestId(): number;
  awaitResponse(requestId: number, resolve: (response: ClientResponse) => void): void;
}

/** Hears a submission's response as it settles (SimMetadataPort.submit). */
export interface ResponseListener {
  heard(response: ClientResponse): void;
}

export class SimMetadataPort implements MetadataPort {
  readonly clusterId = SIM_CLUSTER_ID;
  readonly nodeId: number;

  constructor(private readonly node: SimNode, private readonly host: PortHost) {
    this.nodeId = node.nodeId;
  }

  /**
   * `listener`, when given, hears the response just before the promise settles with it: what a
   * caller would do in a `then`, without the extra turn of the microtask queue a `then` takes.
   */
  // The core answers a request id with its operation's kind of result: the casts below say so.
  submit<Op extends MetadataOperation>(
    operation: Op, options: SubmitOptions = {}, listener?: ResponseListener,
  ): Promise<ClientResponse<Op['type']>> {
    const requestId = this.host.newRequestId();
    const promise = newPromise<ClientResponse<Op['type']>>();
    const resolve = caughtResolve<ClientResponse>();
    const reject = caughtReject();
    // As inside the promise's executor, where this ran: what the node throws rejects the promise.
    try {
      this.host.awaitResponse(requestId, listener === undefined ? resolve : (response) => {
        listener.heard(response);
        resolve(response);
      });
      // Built field by field: spreading a `{}` or a one-field object per option made three objects per request.
      const request: ClientRequest = { requestId, operation };
      if (options.readConsistency !== undefined) request.readConsistency = options.readConsistency;
      if (options.timeoutMs !== undefined) request.timeoutMs = options.timeoutMs;
      this.node.submit(request, this.host.nowMs());
    } catch (error) {
      reject(error);
    }
    return promise;
  }

  describeQuorum(timeoutMs?: number): Promise<ClientResponse<'describeQuorum'>> {
    const requestId = this.host.newRequestId();
    return new Promise<ClientResponse<'describeQuorum'>>((resolve) => {
      this.host.awaitResponse(requestId, resolve as (response: ClientResponse) => void);
      this.node.describeQuorum(requestId, timeoutMs, this.host.nowMs());
    });
  }

  localImage(): MetadataImage {
    return this.core().committedImage;
  }

  /** The controller id clients are told (controller-for-clients.ts). */
  controllerIdForClients(): number {
    const core = this.core();
    return controllerIdForClients(core.committedImage, core.leaderId, this.nodeId);
  }

  hostNowMs(): number {
    return this.host.nowMs() + this.node.clockOffset;
  }

  /** The node's core; a handler still running on a node that went down reads its last state. */
  private core() {
    return this.node.currentCore;
  }
}
