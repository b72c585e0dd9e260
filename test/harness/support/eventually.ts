/**
 * Retries `attempt` until it resolves (at most `attemptsMax` tries, `pauseMs` apart), then throws
 * its last error: containers come up, restart and fail over on their own time, so tests wait for
 * a state rather than sleep a guess.
 */
export async function eventually<T>(attempt: () => Promise<T>, attemptsMax = 60, pauseMs = 500): Promise<T> {
  for (let tried = 1; ; tried += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (tried >= attemptsMax) throw error;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}
