/**
 * `promise`, or a rejection with `timeoutError()` after `timeoutMs`
 * milliseconds, whichever comes first. The timer is cleared either way;
 * `promise` itself is not cancelled (a store call cannot be).
 *
 * @param timeoutMs - Milliseconds to wait.
 * @param timeoutError - Makes the error to reject with on timeout.
 */
export async function withDeadline<T>(promise: Promise<T>, timeoutMs: number, timeoutError: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError()), timeoutMs);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
