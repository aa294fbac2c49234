import type { PostOutcome } from './auth-bench-client';

/** Options of {@link openLoopStream}. */
export interface OpenLoopStreamOptions {
  /** Sends one request. */
  readonly send: () => Promise<PostOutcome>;
  /** Milliseconds between request starts, whatever the responses do (open loop). */
  readonly intervalMs: number;
  /** Stops starting requests once this resolves. */
  readonly until: Promise<unknown>;
  /** Stops starting requests after this many milliseconds anyway (a bound). */
  readonly maxMs: number;
}

/** What one stream saw. */
export interface StreamOutcome {
  /** Latency of each request that answered 200, in milliseconds. */
  readonly latenciesMs: number[];
  /** Requests that answered anything else, or failed. */
  readonly failures: number;
}

/**
 * Sends a request every `intervalMs` until `until` resolves or `maxMs` pass,
 * then waits for the ones in flight. Open loop: a slow answer does not delay
 * the next request, so queueing in the server shows in the latencies.
 */
export async function openLoopStream(options: OpenLoopStreamOptions): Promise<StreamOutcome> {
  const latenciesMs: number[] = [];
  let failures = 0;
  const inFlight: Promise<void>[] = [];
  let stopped = false;
  void options.until.then(() => {
    stopped = true;
  });
  const deadline = Date.now() + options.maxMs;
  while (!stopped && Date.now() < deadline) {
    inFlight.push(
      options.send().then(
        (outcome) => {
          if (outcome.status === 200) latenciesMs.push(outcome.latencyMs);
          else failures += 1;
        },
        () => {
          failures += 1;
        },
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
  await Promise.all(inFlight);
  return { latenciesMs, failures };
}
