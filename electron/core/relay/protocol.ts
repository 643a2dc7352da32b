/**
 * The messages on the desktop's WebSocket to the relay (relay/src/queue.ts is the other side).
 * The relay sends binary requests frames (shared/relay-wire.ts); the desktop sends a JSON hello
 * and JSON acknowledgements by sequence number. A relay deployed before the binary frames sends
 * JSON `requests` messages (`legacyRequests`) and takes acknowledgements by id, until the owner
 * redeploys it.
 */
import { z } from 'zod';
import { RELAY_PROTOCOL } from '../../../shared/relay-wire.js';

/**
 * The desktop's WebSocket options. No permessage-deflate: what the relay sends is sealed
 * (ciphertext does not compress), and compressing it cost the relay's runtime about 18 ms of CPU
 * per MB (`npm run bench -- relay`), more than sealing and storing it together.
 */
export const SOCKET_OPTIONS = { perMessageDeflate: false } as const;

export const wireUsage = z.object({
  day: z.string(),
  requests: z.number().min(0),
  rows_read: z.number().min(0),
  rows_written: z.number().min(0),
  exceeded_at: z.string().nullable(),
});

export const frameHead = z.object({
  backlog: z.number().int().min(0),
  usage: wireUsage,
  items: z.array(z.object({ seq: z.number().int().positive(), size: z.number().int().min(0) })),
});

export const legacyRequests = z.object({
  type: z.literal('requests'),
  backlog: z.number().int().min(0),
  items: z.array(z.object({ id: z.string().min(1), sealed: z.base64() })),
});

export interface Hello {
  type: 'hello';
  protocol: typeof RELAY_PROTOCOL;
  public_key: { kty?: string; crv?: string; x?: string; y?: string };
  allowed_origins: string[];
  thank_you_url: string | null;
}

export type Ack = { type: 'ack'; seqs: number[] } | { type: 'ack'; ids: string[] };
