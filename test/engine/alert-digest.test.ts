/**
 * Packing alerts into messages: in order, never past what fits, an alert too big to share alone;
 * a refused message fails only its own alerts, a throttled one stops the rest for a retry.
 */
import { describe, expect, it } from 'vitest';
import { packInOrder, sendPacked } from '../../electron/core/flows/alert-digest.js';
import { discordDigest, type DiscordAlert } from '../../electron/core/flows/discord-alert.js';
import { PermanentError, RetryableError } from '../../electron/core/integrations/types.js';

const upTo = (chars: number) => (group: readonly string[]) => group.join('\n').length <= chars;

describe('packInOrder', () => {
  it('keeps the order and fills each message as far as it fits', () => {
    expect(packInOrder(['aa', 'bb', 'cc', 'dd', 'ee'], upTo(5))).toEqual([['aa', 'bb'], ['cc', 'dd'], ['ee']]);
  });

  it('an item too big even alone gets a message of its own, wherever it is', () => {
    expect(packInOrder(['a', 'TOO-LONG', 'b', 'c'], upTo(3))).toEqual([['a'], ['TOO-LONG'], ['b', 'c']]);
    expect(packInOrder(['TOO-LONG'], upTo(3))).toEqual([['TOO-LONG']]);
    expect(packInOrder([], upTo(3))).toEqual([]);
  });
});

describe('sendPacked', () => {
  it('equal alerts are still two alerts, each with its own result', async () => {
    const sent: string[][] = [];
    const results = await sendPacked(['same', 'same'], upTo(4), async (g) => void sent.push([...g]));
    expect(sent).toEqual([['same'], ['same']]);
    expect(results).toEqual([null, null]);
  });

  it('a refused message fails its alerts only; the next message is still sent', async () => {
    const refusal = new PermanentError('Slack answered 400: invalid_payload', 400);
    const sent: string[][] = [];
    const results = await sendPacked(['a', 'b', 'c', 'd'], upTo(3), async (g) => {
      sent.push([...g]);
      if (g.includes('a')) throw refusal;
    });
    expect(sent).toEqual([['a', 'b'], ['c', 'd']]);
    expect(results).toEqual([refusal, refusal, null, null]);
  });

  it('after a 429 the rest are not sent now and share its error, so they retry together', async () => {
    const throttled = new RetryableError('Slack answered 429: rate_limited', 1_000, 429);
    const sent: string[][] = [];
    const results = await sendPacked(['a', 'b', 'c', 'd', 'e'], upTo(3), async (g) => {
      sent.push([...g]);
      if (g.includes('c')) throw throttled;
    });
    expect(sent).toEqual([['a', 'b'], ['c', 'd']]);
    expect(results).toEqual([null, null, throttled, throttled, throttled]);
  });
});

describe('discordDigest', () => {
  const alert = (heading: string, title: string): DiscordAlert => ({ heading, embed: { title } });

  it('a lone alert is its heading and its embed; several count each heading once', () => {
    expect(discordDigest([alert('🔥 **HOT LEAD ALERT**', 'Ana - Score: 90')])).toEqual({
      content: '🔥 **HOT LEAD ALERT**',
      embeds: [{ title: 'Ana - Score: 90' }],
    });
    const many = discordDigest([alert('🔥 hot', 'A'), alert('📈 engaged', 'B'), alert('🔥 hot', 'C')]);
    expect(many).toEqual({ content: '🔥 hot ×2\n📈 engaged', embeds: [{ title: 'A' }, { title: 'B' }, { title: 'C' }] });
  });
});
