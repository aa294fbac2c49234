import { performance } from 'node:perf_hooks';

/** One contender of a timed comparison. */
export interface Contender {
  readonly name: string;
  /** One operation. Awaited, so sync and async work are timed alike. */
  readonly run: () => unknown;
}

/** Options of {@link alternatingRounds}. */
export interface AlternatingRoundsOptions {
  /** Operations per timed block. */
  readonly batch: number;
  /** Timed blocks per contender per round; the contenders take turns block by block. */
  readonly blocks: number;
  /** Timed rounds. */
  readonly rounds: number;
  /** Untimed rounds first, for the JIT to settle. Default 2. */
  readonly warmupRounds?: number;
}

/** Per contender: one sample per timed round, in milliseconds per operation. */
export interface ContenderSamples {
  /** Wall-clock time (`performance.now()`), what a caller waits. */
  readonly wallMs: number[];
  /** CPU time of this process (`process.cpuUsage()`, user + system, all threads); not charged for time other processes take the core. */
  readonly cpuMs: number[];
}

/** Samples by contender name. */
export type RoundSamples = Record<string, ContenderSamples>;

const collectGarbage: (() => void) | undefined = (globalThis as { gc?: () => void }).gc;

/** Whether the process runs with `--expose-gc`, so each timed block starts after a full GC. */
export const canCollectGarbage = collectGarbage !== undefined;

async function timeBlock(contender: Contender, batch: number): Promise<{ wallMs: number; cpuMs: number }> {
  collectGarbage?.();
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  for (let index = 0; index < batch; index += 1) await contender.run();
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/**
 * Times the contenders in alternating rounds. In each round the contenders
 * take turns block by block (`blocks` turns each, `batch` operations per
 * block), and the round's first contender rotates, so the drifting load of a
 * shared machine hits all of them alike. A full GC (with `--expose-gc`)
 * precedes every block, so no contender pays for another's garbage.
 * Returns each contender's mean per operation in each timed round; compare
 * contenders round by round (`pairedRatios`).
 */
export async function alternatingRounds(contenders: readonly Contender[], options: AlternatingRoundsOptions): Promise<RoundSamples> {
  const samples: RoundSamples = Object.fromEntries(contenders.map((contender) => [contender.name, { wallMs: [], cpuMs: [] }]));
  const warmupRounds = options.warmupRounds ?? 2;
  for (let round = 0; round < warmupRounds + options.rounds; round += 1) {
    const totals = contenders.map(() => ({ wallMs: 0, cpuMs: 0 }));
    for (let block = 0; block < options.blocks; block += 1) {
      for (let offset = 0; offset < contenders.length; offset += 1) {
        const index = (round + block + offset) % contenders.length;
        const timed = await timeBlock(contenders[index] as Contender, options.batch);
        const total = totals[index] as { wallMs: number; cpuMs: number };
        total.wallMs += timed.wallMs;
        total.cpuMs += timed.cpuMs;
      }
    }
    if (round < warmupRounds) continue;
    const operations = options.blocks * options.batch;
    contenders.forEach((contender, index) => {
      const total = totals[index] as { wallMs: number; cpuMs: number };
      samples[contender.name]?.wallMs.push(total.wallMs / operations);
      samples[contender.name]?.cpuMs.push(total.cpuMs / operations);
    });
  }
  return samples;
}
