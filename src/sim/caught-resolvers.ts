/**
 * A new promise and its resolving functions without a closure per promise for its executor (Node 20
 * has no Promise.withResolvers): one executor catches them for every promise. Read them with
 * `caughtResolve` and `caughtReject` right after `newPromise`; the next promise overwrites them.
 * The simulator makes a promise for every wait and every submission of thousands per simulated
 * minute, and the executor's closure and its context were a share of what it allocated.
 */
let resolveOfNewest: (value: never) => void = () => undefined;
let rejectOfNewest: (reason: unknown) => void = () => undefined;

function catchResolvers(resolve: (value: never) => void, reject: (reason: unknown) => void): void {
  resolveOfNewest = resolve;
  rejectOfNewest = reject;
}

export function newPromise<T>(): Promise<T> {
  return new Promise<T>(catchResolvers);
}

/** The resolve function of the promise `newPromise` made last. */
export function caughtResolve<T>(): (value: T) => void {
  return resolveOfNewest as (value: T) => void;
}

/** The reject function of the promise `newPromise` made last. */
export function caughtReject(): (reason: unknown) => void {
  return rejectOfNewest;
}
