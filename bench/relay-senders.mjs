/**
 * The benchmark's senders, on their own thread so that posting does not compete with the
 * desktop's event loop: posts `n` opt-ins with unique idempotency keys, `concurrency` at a time,
 * and reports each one's send and answer times (epoch milliseconds, high resolution).
 */
// Plain JavaScript: worker threads do not inherit the TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';

/** @type {{ url: string, n: number, tag: string, concurrency: number }} */
const { url, n, tag, concurrency } = workerData;
const now = () => performance.timeOrigin + performance.now();
/** @type {{ key: string, sentAt: number, answeredAt: number }[]} */
const sent = [];
let next = 0;
const worker = async () => {
  while (next < n) {
    const key = `${tag}-${next++}`;
    const sentAt = now();
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ email: `${key}@bench.example`, first_name: 'Bench' }),
    });
    const body = await res.text();
    if (res.status !== 202) throw new Error(`${url} answered ${res.status}: ${body}`);
    sent.push({ key, sentAt, answeredAt: now() });
  }
};
await Promise.all(Array.from({ length: concurrency }, worker));
parentPort?.postMessage(sent);
