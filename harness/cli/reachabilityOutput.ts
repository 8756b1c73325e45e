// The output forms of `clusterproof reachability`, written through a sink (stdout in the CLI, a byte counter in
// the bench). Everything is streamed: a large cluster has millions of verdicts, which must not become one string.
import { renderQueryTables } from '../netpol/matrix.ts';
import { queryVerdicts, type ReachabilityQuery } from '../netpol/reachabilityQuery.ts';
import { verdictClasses } from '../netpol/verdictClasses.ts';

export type ReachabilityFormat = 'json' | 'ndjson' | 'classes' | 'table';
type Sink = (text: string) => Promise<void>;

/** Above this many verdicts a pairwise listing (json, table) is refused and not the default. */
export const PAIRWISE_LIMIT = 250_000;

/** What `reachability` prints when no --format is given. */
export function defaultFormat(size: number): ReachabilityFormat {
  return size > PAIRWISE_LIMIT ? 'classes' : 'json';
}

export async function writeReachability(q: ReachabilityQuery, format: ReachabilityFormat, write: Sink): Promise<void> {
  if (format === 'table') await write(`${renderQueryTables(q).join('\n\n')}\n`);
  else if (format === 'ndjson') await writeLines(queryVerdicts(q), (v) => `${JSON.stringify(pairwise(v))}\n`, write);
  else if (format === 'classes') {
    const { classes, rules } = verdictClasses(q);
    await write('{"classes": [');
    await writeList(classes, (c) => JSON.stringify(c), write);
    await write('],\n"rules": [');
    await writeList(rules(), (r) => JSON.stringify(pairwise(r)), write);
    await write(']}\n');
  } else {
    await write('{"results": [');
    await writeList(queryVerdicts(q), (v) => JSON.stringify(pairwise(v)), write);
    await write(']}\n');
  }
}

/** The documented fields, in the documented order. */
function pairwise(v: { from: string; to: string; port: number; protocol: string; allowed: boolean; reason: string }): object {
  return { from: v.from, to: v.to, port: v.port, protocol: v.protocol, allowed: v.allowed, reason: v.reason };
}

/** A JSON array's items, one per line. */
async function writeList<T>(items: Iterable<T>, text: (item: T) => string, write: Sink): Promise<void> {
  let first = true;
  await writeLines(
    items,
    (item) => {
      const line = `${first ? '\n' : ',\n'}  ${text(item)}`;
      first = false;
      return line;
    },
    write,
  );
  if (!first) await write('\n');
}

async function writeLines<T>(items: Iterable<T>, text: (item: T) => string, write: Sink): Promise<void> {
  let chunk = '';
  for (const item of items) {
    chunk += text(item);
    if (chunk.length > 1 << 16) {
      await write(chunk);
      chunk = '';
    }
  }
  if (chunk) await write(chunk);
}
