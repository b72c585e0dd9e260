/**
 * The leader's de-duplication of forwarded requests (RequestForwarding.isRepeat): a repeat of a
 * request it planned is dropped whether it still leads or not, since refusing it after
 * leadership was lost would tell the asker that nothing was done (CI sweep seed 508450).
 */
import { describe, expect, it } from 'vitest';
import type { ForwardRequest } from '../../src/core/forwarding.js';
import { Outbox } from '../../src/core/raft/outbox.js';
import { RequestForwarding } from '../../src/core/request-forwarding.js';

function forwardRequest(forwardId: number, incarnationId = 'asker-1'): ForwardRequest {
  return { type: 'forward-request', clusterId: 'c', epoch: 3, incarnationId, forwardId, operation: { type: 'deleteTopic', name: 'beta' } };
}

describe('forwarded requests are planned once', () => {
  it('a repeat of a planned request is a repeat while leading and after leadership was lost', () => {
    const forwarding = new RequestForwarding('c', 'leader-1', new Outbox(2));
    expect(forwarding.isRepeat(4, forwardRequest(14), true)).toBe(false);
    expect(forwarding.isRepeat(4, forwardRequest(14), true)).toBe(true);
    // No longer the active controller: still a repeat, not a request to refuse.
    expect(forwarding.isRepeat(4, forwardRequest(14), false)).toBe(true);
  });

  it('a request never planned here is no repeat, and is not remembered when refused', () => {
    const forwarding = new RequestForwarding('c', 'leader-1', new Outbox(2));
    expect(forwarding.isRepeat(4, forwardRequest(15), false)).toBe(false);
    expect(forwarding.isRepeat(4, forwardRequest(15), false)).toBe(false);
    expect(forwarding.isRepeat(4, forwardRequest(15), true)).toBe(false);
  });

  it('the same forward id from another node or another incarnation is another request', () => {
    const forwarding = new RequestForwarding('c', 'leader-1', new Outbox(2));
    expect(forwarding.isRepeat(4, forwardRequest(14), true)).toBe(false);
    expect(forwarding.isRepeat(5, forwardRequest(14), true)).toBe(false);
    expect(forwarding.isRepeat(4, forwardRequest(14, 'asker-2'), true)).toBe(false);
  });
});
