// The bounded wait of what `up` installs into a fresh cluster (AWS emulation, the mesh): poll a "why not yet"
// function until it returns undefined; on timeout, one RunError that names the component, what was awaited, the
// last reason, and the fix. A poll that throws (API not there yet, object not created yet) is a reason, not a failure.
import { errorMessage, RunError } from '../errors.ts';
import { waitFor, WaitTimeout } from '../kubernetes/waitFor.ts';

export interface SettleOptions {
  /** Names the installed component in the timeout message: `<component>: waited 180s for …`. */
  component: string;
  timeoutMs: number;
  fix: string;
  signal?: AbortSignal | undefined;
}

export async function settle(what: string, why: () => Promise<string | undefined>, opts: SettleOptions): Promise<void> {
  try {
    await waitFor(
      what,
      async () => {
        try {
          const reason = await why();
          return reason === undefined ? { done: true, value: undefined } : { done: false, why: reason };
        } catch (error) {
          return { done: false, why: errorMessage(error) };
        }
      },
      { timeout: opts.timeoutMs, interval: 1000, signal: opts.signal },
    );
  } catch (error) {
    if (!(error instanceof WaitTimeout)) throw error;
    throw new RunError(`${opts.component}: waited ${opts.timeoutMs / 1000}s for ${what}: ${error.why}`, { fix: opts.fix });
  }
}
