/**
 * The memo cache's rules: an equal configuration is found again; a different set or state is
 * new; with dominance, extra optional calls are covered by an entry without them (never the
 * reverse); and the cache refuses to grow past its memory bound.
 */
import { describe, expect, it } from 'vitest';
import { CACHE_FULL, MemoCache, type SetView } from '../../../src/checker/search/memo-cache.js';
import { casRegisterModel } from './register-model.js';

const model = casRegisterModel();
const CALLS = 70;
/** Calls 60.. have unknown outcomes (optional); the rest are required. */
const FIRST_OPTIONAL = 60;

/** A view of the set {ids}, with the frontier fields computed as the search does. */
function viewOf(ids: number[]): SetView {
  const set = new Uint32Array(Math.ceil(CALLS / 32));
  const optionalMask = new Uint32Array(set.length);
  for (let id = FIRST_OPTIONAL; id < CALLS; id++) optionalMask[id >>> 5]! |= 1 << (id & 31);
  const optionalSet = new Uint32Array(1);
  for (const id of ids) {
    set[id >>> 5]! |= 1 << (id & 31);
    if (id >= FIRST_OPTIONAL) optionalSet[0]! |= 1 << (id - FIRST_OPTIONAL);
  }
  const required = ids.filter((id) => id < FIRST_OPTIONAL);
  let frontier = 0;
  while (required.includes(frontier)) frontier++;
  const max = Math.max(-1, ...required);
  const fromWord = frontier >>> 5;
  return { set, optionalMask, optionalSet, fromWord, toWord: max >= frontier ? (max >>> 5) + 1 : fromWord };
}

/** The same Zobrist-like fingerprint for equal required sets (tests control collisions). */
function fingerprint(ids: number[], withOptional: boolean): number {
  return ids.filter((id) => withOptional || id < FIRST_OPTIONAL).reduce((h, id) => h ^ Math.imul(id + 1, 0x9e3779b1), 0);
}

describe('memo cache', () => {
  it('finds a configuration reached again', () => {
    const cache = new MemoCache(model, false);
    const ids = [0, 1, 2, 40];
    expect(cache.addIfAbsent(fingerprint(ids, true), 1, viewOf(ids), 5, 5)).toBeGreaterThanOrEqual(0);
    expect(cache.addIfAbsent(fingerprint(ids, true), 1, viewOf(ids), 5, 5)).toBeLessThan(0);
  });

  it('treats the same set with another state, or another set, as new', () => {
    const cache = new MemoCache(model, false);
    cache.addIfAbsent(fingerprint([0, 1], true), 1, viewOf([0, 1]), 5, 5);
    expect(cache.addIfAbsent(fingerprint([0, 1], true), 1, viewOf([0, 1]), 6, 6)).toBeGreaterThanOrEqual(0);
    // A colliding fingerprint must not hide a different set.
    expect(cache.addIfAbsent(fingerprint([0, 1], true), 1, viewOf([0, 2]), 5, 5)).toBeGreaterThanOrEqual(0);
  });

  it('with dominance, covers a configuration that only adds optional calls', () => {
    const cache = new MemoCache(model, true);
    const base = [0, 1, 61];
    const more = [0, 1, 61, 65];
    expect(cache.addIfAbsent(fingerprint(base, false), 1, viewOf(base), 5, 5)).toBeGreaterThanOrEqual(0);
    expect(cache.addIfAbsent(fingerprint(more, false), 1, viewOf(more), 5, 5)).toBeLessThan(0);
  });

  it('with dominance, never lets an entry cover a configuration with fewer optional calls', () => {
    const cache = new MemoCache(model, true);
    const more = [0, 1, 61, 65];
    const fewer = [0, 1, 61];
    cache.addIfAbsent(fingerprint(more, false), 1, viewOf(more), 5, 5);
    expect(cache.addIfAbsent(fingerprint(fewer, false), 1, viewOf(fewer), 5, 5)).toBeGreaterThanOrEqual(0);
  });

  it('without dominance, extra optional calls make a different configuration', () => {
    const cache = new MemoCache(model, false);
    cache.addIfAbsent(fingerprint([0], false), 1, viewOf([0]), 5, 5);
    expect(cache.addIfAbsent(fingerprint([0], false), 1, viewOf([0, 62]), 5, 5)).toBeGreaterThanOrEqual(0);
  });

  it('answers CACHE_FULL rather than grow past its memory bound', () => {
    const cache = new MemoCache(model, false, 1024 * 1024);
    let answer = 0;
    for (let state = 0; state < 100_000 && answer !== CACHE_FULL; state++) {
      answer = cache.addIfAbsent(state, state, viewOf([0, 1]), state, state);
    }
    expect(answer).toBe(CACHE_FULL);
    expect(cache.bytesEstimate).toBeLessThanOrEqual(1024 * 1024);
  });
});
