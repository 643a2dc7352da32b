/** The messages on the desktop's WebSocket to the relay (relay/src/queue.ts is the other side). */
import { z } from 'zod';

export const fromRelay = z.object({
  type: z.literal('requests'),
  backlog: z.number().int().min(0),
  items: z.array(z.object({ id: z.string().min(1), sealed: z.base64() })),
});
export type FromRelay = z.infer<typeof fromRelay>;

export interface Hello {
  type: 'hello';
  public_key: { kty?: string; crv?: string; x?: string; y?: string };
  allowed_origins: string[];
  thank_you_url: string | null;
}

export interface Ack {
  type: 'ack';
  ids: string[];
}
