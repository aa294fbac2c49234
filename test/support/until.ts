/**
 * Resolves with the milliseconds it waited once `condition` holds, checking
 * every 10 ms; rejects after `timeoutMs`. For what another process or a
 * background watcher does in its own time.
 */
export function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const check = async (): Promise<void> => {
      let holds = false;
      try {
        holds = await condition();
      } catch (error) {
        reject(error);
        return;
      }
      if (holds) resolve(Date.now() - started);
      else if (Date.now() - started > timeoutMs) reject(new Error(`condition not met within ${timeoutMs} ms`));
      else setTimeout(() => void check(), 10);
    };
    void check();
  });
}
