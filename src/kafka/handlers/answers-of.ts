/**
 * Promise.all over the answers of a request's entries, without its machinery for the usual
 * request of one entry (a resolve-element function, a capability, an iterator and a list each).
 * Promise.all([p]) settles one microtask after p; so does p.then(inList), so every continuation
 * after it runs in the same order as before (the simulator's clients run through these handlers,
 * and its seeds replay by that order).
 */
export function answersOf<T>(answers: readonly Promise<T>[]): Promise<T[]> {
  return answers.length === 1 ? answers[0]!.then(inList) : Promise.all(answers);
}

function inList<T>(value: T): T[] {
  return [value];
}
