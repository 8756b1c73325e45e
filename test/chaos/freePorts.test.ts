// Port choice for the throwaway etcd of the restore drill, read from a node's /proc/net/tcp.
import { describe, expect, test } from 'vitest';
import { listeningPorts, pickFreePorts } from '../../harness/chaos/freePorts.ts';

// Real /proc/net/tcp shape: 127.0.0.1:2379 (0x094B) and :42379 (0xA58B) listening, one established connection.
const PROC = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:094B 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0
   1: 00000000:A58B 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1 0 100 0 0 10 0
   2: 0100007F:A58C 0100007F:094B 01 00000000:00000000 00:00000000 00000000     0        0 3 1 0 20 4 30 10 -1`;

describe('free ports', () => {
  test('only LISTEN sockets count', () => {
    expect([...listeningPorts(PROC)].sort()).toEqual([2379, 42379]);
  });
  test('skips listened ports and returns distinct ones', () => {
    expect(pickFreePorts(listeningPorts(PROC), 2)).toEqual([42380, 42381]);
  });
  test('throws when the range is exhausted', () => {
    expect(() => pickFreePorts(new Set([1, 2]), 1, 1, 2)).toThrow(/no 1 free TCP ports/);
  });
});
