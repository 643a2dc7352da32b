/**
 * Finding 4: text a stranger types into a public form must reach Slack as text. Slack reads
 * `<!channel>`, `<@U…>` and `<url|label>` in message text as a ping and links; the lead's fields
 * are escaped (&, <, >) into the owner's message, while the owner's own markup still works.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, type World } from '../engine/world.js';
import { escapeSlackText } from '../../electron/core/integrations/chat-markup.js';
import { compileTemplate } from '../../electron/core/triggers/template.js';

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w?.stop());

/** Slack's own reading of message text: the spans it would turn into mentions or links. */
const slackControls = (text: string) => text.match(/<[^>]*>/g) ?? [];

describe('Slack message text', () => {
  it('a public form post cannot ping the channel or plant a disguised link', async () => {
    const hostile = '<!channel> <https://evil.example|Verify your account> & <@U024BE7LH>';
    await w.send('lead-optin', { email: 'mallory@example.com', first_name: hostile, source: '<!here>' });
    await w.settle();
    const sent = w.fakes.slack.messages.map((m) => m.text ?? '').find((t) => t.includes('mallory@example.com'));
    expect(sent).toBeDefined();
    expect(slackControls(sent!)).toEqual([]);
    expect(sent).toBe(
      'New lead: &lt;!channel&gt; &lt;https://evil.example|Verify your account&gt; &amp; &lt;@U024BE7LH&gt; (mallory@example.com)',
    );
  });

  it("the owner's own markup in the message setting is kept; only the values are escaped", () => {
    const t = compileTemplate('<!here> New lead: *{{ first_name }}* from {{ source }}', ['first_name', 'source']);
    expect(t.render({ first_name: '<!channel>', source: 'a&b' }, escapeSlackText)).toBe(
      '<!here> New lead: *&lt;!channel&gt;* from a&amp;b',
    );
    // A message that is one value alone is escaped too.
    expect(compileTemplate('{{ first_name }}', ['first_name']).render({ first_name: '<!channel>' }, escapeSlackText)).toBe('&lt;!channel&gt;');
  });
});
