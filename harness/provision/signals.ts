// SIGINT/SIGTERM while clusterproof holds a cluster (during `up` or a suite): abort the work, let the owner tear
// down (or keep, with --keep) and say which. A second signal exits at once; `clusterproof sweep` then cleans up.
export interface SignalScope {
  signal: AbortSignal;
  /** The signal received, if any. */
  received(): NodeJS.Signals | undefined;
  dispose(): void;
}

export function abortOnSignals(log: (line: string) => void, keep: boolean, signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): SignalScope {
  const controller = new AbortController();
  let got: NodeJS.Signals | undefined;
  const handler = (sig: NodeJS.Signals): void => {
    if (got !== undefined) {
      log(`${sig} again: exiting now without cleanup; remove leftovers with: clusterproof sweep`);
      process.exit(130);
    }
    got = sig;
    log(
      `${sig} received: stopping, then ${keep ? 'KEEPING the cluster (--keep)' : 'tearing the cluster down'}; send it again to exit at once`,
    );
    controller.abort(new Error(`interrupted by ${sig}`));
  };
  for (const s of signals) process.on(s, handler);
  return {
    signal: controller.signal,
    received: () => got,
    dispose: () => {
      for (const s of signals) process.off(s, handler);
    },
  };
}
