// The one bounded wait of the live half (terratest's named retries): what is awaited has a name, each round says
// why it is not there yet, and a timeout error carries the last reason and observation instead of a bare "timed out".
import { setTimeout as sleep } from 'node:timers/promises';

/** One look: done (with the value to return), or not yet and why (the observation is kept for the timeout). */
export type Poll<T> = { done: true; value: T } | { done: false; why: string; value?: T };

export interface WaitOptions {
  /** Give up after this many ms. */
  timeout: number;
  /** Pause between looks, in ms. */
  interval: number;
  signal?: AbortSignal | undefined;
  /** Where "waiting for …" lines go (the CLI's progress log); silent without one. */
  log?: ((line: string) => void) | undefined;
}

export class WaitTimeout<T> extends Error {
  readonly why: string;
  /** The last observation the check returned, when it returned one. */
  readonly last: T | undefined;
  readonly seconds: number;
  constructor(what: string, why: string, last: T | undefined, seconds: number, rounds: number) {
    super(`gave up waiting for ${what} after ${seconds.toFixed(0)}s (${rounds} looks): ${why}`);
    this.why = why;
    this.last = last;
    this.seconds = seconds;
  }
}

export interface Waited<T> {
  value: T;
  seconds: number;
  rounds: number;
}

export async function waitFor<T>(what: string, check: () => Promise<Poll<T>>, opts: WaitOptions): Promise<Waited<T>> {
  const start = performance.now();
  const elapsed = (): number => (performance.now() - start) / 1000;
  opts.log?.(`waiting for ${what} (up to ${Math.round(opts.timeout / 1000)}s)`);
  for (let rounds = 1; ; rounds++) {
    opts.signal?.throwIfAborted();
    const poll = await check();
    if (poll.done) return { value: poll.value, seconds: elapsed(), rounds };
    if (elapsed() * 1000 > opts.timeout) throw new WaitTimeout(what, poll.why, poll.value, elapsed(), rounds);
    opts.log?.(`${what}: not yet (${poll.why})`);
    await sleep(opts.interval, undefined, opts.signal ? { signal: opts.signal } : {});
  }
}

/** `.catch(timeoutIsObservation)`: for callers whose own verdict or expectation reports what the wait did not reach. */
export function timeoutIsObservation(error: unknown): void {
  if (!(error instanceof WaitTimeout)) throw error;
}
