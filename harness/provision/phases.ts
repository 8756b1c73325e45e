// Times each phase of `up` and reports it as it ends, so slow phases are visible in CI logs and the benchmark.
import type { PhaseEvent } from '../model/cluster.ts';

export class PhaseClock {
  readonly done: PhaseEvent[] = [];
  private readonly onPhase: ((e: PhaseEvent) => void) | undefined;

  constructor(onPhase?: (e: PhaseEvent) => void) {
    this.onPhase = onPhase;
  }

  /** Runs one phase; the time is recorded whether it succeeds or fails (a failed phase's time is evidence too). */
  async run<T>(phase: string, fn: () => Promise<T>, detail?: (result: T) => string): Promise<T> {
    const start = performance.now();
    let event: PhaseEvent | undefined;
    try {
      const result = await fn();
      event = { phase, seconds: (performance.now() - start) / 1000, ...(detail ? { detail: detail(result) } : {}) };
      return result;
    } catch (error) {
      event = { phase, seconds: (performance.now() - start) / 1000, detail: 'failed' };
      throw error;
    } finally {
      if (event) {
        this.done.push(event);
        this.onPhase?.(event);
      }
    }
  }
}
