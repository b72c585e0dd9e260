/**
 * Retries `attempt` until it resolves, pausing `pauseMs` between tries; once `deadlineMs` has
 * passed since the first try, the last error is thrown. Containers come up and fail over on their
 * own time, so the suites wait for a state rather than sleeping a guess.
 */
export async function retryUntil<T>(deadlineMs: number, attempt: () => Promise<T>, pauseMs: number): Promise<T> {
  const startedMs = Date.now();
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() - startedMs > deadlineMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}
