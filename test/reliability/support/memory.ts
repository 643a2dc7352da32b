/** Memory after a full garbage collection, for "memory stays bounded" checks. */
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | undefined;

function collector(): () => void {
  if (!gc) {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
  }
  return gc;
}

export const MB = 1024 * 1024;

export interface MemorySnapshot {
  rss: number;
  /** Live JavaScript objects plus the Buffers they hold: what a leak of requests would grow. */
  live: number;
}

/**
 * Memory after full collections, with a pause between them so freed native memory (sockets,
 * buffers released by finalisers) is returned before it is read.
 */
export async function settledMemory(pauseMs = 1000): Promise<MemorySnapshot> {
  const run = collector();
  run();
  await new Promise((r) => setTimeout(r, pauseMs));
  run();
  const m = process.memoryUsage();
  return { rss: m.rss, live: m.heapUsed + m.external };
}
