/**
 * Everything a sender wrote that reaches a team channel is escaped for that channel's markup.
 * Discord (https://support.discord.com/hc/en-us/articles/210298617-Markdown-Text-101) reads
 * `[text](url)` in embed descriptions, titles and field values as a masked link, and `**`, `_`,
 * `~~`, `||`, `` ` ``, `>`, `#`, `-` as formatting; a backslash before any of them shows it as
 * itself. A bare web address is linked as it is (no markdown inside it). Slack
 * (https://api.slack.com/reference/surfaces/formatting#escaping) reads `&`, `<` and `>` as its
 * control characters (`<url|label>`, `<!channel>`), to be written as HTML entities.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeDiscordText, escapeSlackText } from '../../electron/core/integrations/chat-markup.js';
import { startWorld, type World } from '../engine/world.js';

/** The parts of an embed these alerts fill in, as the Discord fake recorded them. */
interface Embed {
  title?: string;
  description?: string;
  fields?: { name: string; value: string; inline?: boolean }[];
}
const embedsSince = (from: number) => w.fakes.discord.messages.slice(from).flatMap((m) => m.embeds as Embed[]);

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w?.stop());

/** Discord's reading: a `[` and a `](` that no backslash escapes make a masked link. */
const maskedLinks = (text: string) => text.match(/(?<!\\)\[(?:[^\]\\]|\\.)*(?<!\\)\]\(/g) ?? [];
/** Discord's emphasis and spoiler markers that no backslash escapes. */
const formatting = (text: string) => text.match(/(?<!\\)(\*\*|__|~~|\|\|)/g) ?? [];

const DISGUISED = 'https://shop.example/ [Verify your account](https://evil.example/login)';
const HOSTILE_NAME = '**Boss** [Pay here](https://evil.example/pay) ||x|| <@&123>';
const HOT = { marketing: 9, sales: 8, operations: 9, finance: 8, team: 9, customer: 8, product: 9, leadership: 8 };

describe('Discord alerts', () => {
  it('a clicked link cannot arrive as a masked link, and the lead\'s name cannot format or link', async () => {
    await w.tc.api('PUT', '/api/settings', { flows: { 'email-engagement': { alert_threshold: 10 } } });
    await w.send('lead-optin', { email: 'clicker@example.com', first_name: HOSTILE_NAME });
    await w.settle();
    const from = w.fakes.discord.messages.length;
    await w.send('email-engagement', { email: 'clicker@example.com', event_type: 'click', link_url: DISGUISED });
    await w.settle();
    const [embed] = embedsSince(from);
    expect(embed).toBeDefined();
    expect(maskedLinks(embed!.description!)).toEqual([]);
    expect(embed!.description).toBe('Clicked: https://shop.example/ \\[Verify your account\\]\\(https://evil.example/login%29');
    expect(maskedLinks(embed!.title!)).toEqual([]);
    expect(formatting(embed!.title!)).toEqual([]);
  });

  it('a hot lead alert escapes the name in its title and the email in its field', async () => {
    const from = w.fakes.discord.messages.length;
    await w.send('assessment', { email: 'under_score@example.com', first_name: HOSTILE_NAME, assessment_data: HOT });
    await w.settle();
    const [m] = w.fakes.discord.messages.slice(from);
    expect(m!.content).toBe('🔥 **HOT LEAD ALERT**');
    const embed = embedsSince(from)[0]!;
    expect(embed.title).toBe('\\*\\*Boss\\*\\* \\[Pay here\\]\\(https://evil.example/pay%29 \\|\\|x\\|\\| \\<@&123\\> - Score: 85');
    expect(maskedLinks(embed.title!)).toEqual([]);
    expect(embed.fields![0]).toEqual({ name: 'Email', value: 'under\\_score@example.com', inline: true });
  });
});

describe('the escapes, one per channel', () => {
  it('Discord: markup characters get a backslash; a bare address stays one link, to the same address', () => {
    expect(escapeDiscordText('*a* _b_ ~~c~~ `d` ||e|| > f # g - h')).toBe('\\*a\\* \\_b\\_ \\~\\~c\\~\\~ \\`d\\` \\|\\|e\\|\\| \\> f \\# g \\- h');
    expect(escapeDiscordText('\\[x](y)')).toBe('\\\\\\[x\\]\\(y\\)');
    expect(escapeDiscordText('https://shop.example/summer_sale-2?q=(a)')).toBe('https://shop.example/summer_sale-2?q=%28a%29');
    expect(new URL(escapeDiscordText('https://shop.example/summer_sale-2?q=(a)')).searchParams.get('q')).toBe('(a)');
  });

  it('Discord: a bound on the escaped length, cut between escapes (Discord refuses a title over 256 characters)', () => {
    const name = '*'.repeat(200);
    const cut = escapeDiscordText(name, 200);
    expect(cut.length).toBeLessThanOrEqual(200);
    expect(cut).toMatch(/^(\\\*)+…$/);
    expect(escapeDiscordText('short_name', 200)).toBe('short\\_name');
  });

  it('Discord: a 200-character name of markup still makes a valid hot lead alert', async () => {
    const from = w.fakes.discord.messages.length;
    await w.send('assessment', { email: 'long-name@example.com', first_name: '_'.repeat(200), assessment_data: HOT });
    await w.settle();
    const title = embedsSince(from)[0]!.title!;
    expect(title.length).toBeLessThanOrEqual(256);
    expect(title).toMatch(/^(\\_)+… - Score: 85$/);
  });

  it('Slack: &, < and > as entities, nothing else', () => {
    expect(escapeSlackText('<https://evil.example|Verify> & *bold* [x](y)')).toBe('&lt;https://evil.example|Verify&gt; &amp; *bold* [x](y)');
  });
});
