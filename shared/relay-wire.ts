/**
 * The bytes the relay Worker (relay/src) and the desktop (electron/core/relay) exchange, written
 * once for both sides. Bodies travel as bytes end to end: base64 of a 1 MB body cost the Worker
 * tens of milliseconds of CPU where the Free plan gives 10 ms a request.
 *
 * - A record (what is sealed): u32 length of a JSON head, the head (id, time, method, path, IP,
 *   headers), then the raw body bytes.
 * - A requests frame (a binary WebSocket message, relay -> desktop): one byte FRAME_REQUESTS,
 *   u32 length of a JSON head (backlog, usage, each item's sequence number and sealed length),
 *   then the sealed items one after another.
 * Control messages (hello, ack) stay small JSON text messages.
 */

/** The hello's protocol number: 2 speaks binary frames and acknowledges by sequence number. */
export const RELAY_PROTOCOL = 2;
export const FRAME_REQUESTS = 0x52;

export interface RecordHead {
  id: string;
  received_at: string;
  method: string;
  path: string;
  ip: string;
  headers: Record<string, string>;
}

/** The relay's own use of the owner's Cloudflare account today (UTC day), as it counted it. */
export interface WireUsage {
  day: string;
  /** Requests to the queue: posts, preflights, connections, and incoming WebSocket messages at Cloudflare's 20:1. */
  requests: number;
  rows_read: number;
  rows_written: number;
  /** When a storage call was refused today because a daily free limit was used up. */
  exceeded_at: string | null;
}

export interface FrameHead {
  backlog: number;
  usage: WireUsage;
  items: { seq: number; size: number }[];
}

const enc = new TextEncoder();
const dec = new TextDecoder();

function withHead(head: unknown, tail: number): { out: Uint8Array; at: number } {
  const json = enc.encode(JSON.stringify(head));
  const out = new Uint8Array(4 + json.length + tail);
  new DataView(out.buffer).setUint32(0, json.length);
  out.set(json, 4);
  return { out, at: 4 + json.length };
}

function readHead(bytes: Uint8Array, from: number): { head: unknown; at: number } {
  if (bytes.length < from + 4) throw new Error('too short to hold its head');
  const len = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(from);
  const at = from + 4 + len;
  if (bytes.length < at) throw new Error('its head is cut short');
  return { head: JSON.parse(dec.decode(bytes.subarray(from + 4, at))), at };
}

export function encodeRecord(head: RecordHead, body: Uint8Array): Uint8Array {
  const { out, at } = withHead(head, body.length);
  out.set(body, at);
  return out;
}

/** The head is returned unchecked (each side validates it with its own schema). */
export function decodeRecord(bytes: Uint8Array): { head: unknown; body: Uint8Array } {
  const { head, at } = readHead(bytes, 0);
  return { head, body: bytes.subarray(at) };
}

export function encodeFrame(backlog: number, usage: WireUsage, items: { seq: number; sealed: Uint8Array }[]): Uint8Array {
  const head: FrameHead = { backlog, usage, items: items.map((i) => ({ seq: i.seq, size: i.sealed.byteLength })) };
  const json = enc.encode(JSON.stringify(head));
  const total = items.reduce((n, i) => n + i.sealed.byteLength, 0);
  const out = new Uint8Array(1 + 4 + json.length + total);
  out[0] = FRAME_REQUESTS;
  new DataView(out.buffer).setUint32(1, json.length);
  out.set(json, 5);
  let at = 5 + json.length;
  for (const i of items) {
    out.set(i.sealed, at);
    at += i.sealed.byteLength;
  }
  return out;
}

/** Splits a requests frame; the head is returned unchecked, the sealed parts as views of `bytes`. */
export function decodeFrame(bytes: Uint8Array): { head: unknown; sealed: (size: number) => Uint8Array } {
  if (bytes[0] !== FRAME_REQUESTS) throw new Error(`not a requests frame (first byte ${bytes[0]})`);
  const { head, at } = readHead(bytes, 1);
  let next = at;
  return {
    head,
    sealed(size) {
      if (next + size > bytes.length) throw new Error('the frame is shorter than its head says');
      const part = bytes.subarray(next, next + size);
      next += size;
      return part;
    },
  };
}

/** Seconds from `now` until the daily free limits reset (00:00 UTC). */
export function secondsUntilUtcMidnight(now: number): number {
  const d = new Date(now);
  return Math.max(1, Math.ceil((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) - now) / 1000));
}
