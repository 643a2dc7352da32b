/**
 * Text from outside (a form field, a payload, a link a lead clicked) put into a team channel's
 * message is escaped for that channel's markup, here and nowhere else, so a stranger's text
 * reaches the channel as text: no pings, no formatting, no link disguised behind other words.
 * The owner's own markup around it (a bold heading, a message setting) is kept as written.
 */

/**
 * Slack reads `<!channel>`, `<@U…>` and `<url|label>` as mentions and links; the only characters
 * it asks senders to escape are `&`, `<` and `>`, as HTML entities
 * (https://api.slack.com/reference/surfaces/formatting#escaping). Slack has no `[text](url)` links.
 */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Discord's markdown: emphasis, spoilers, code, quotes, headings, lists, masked links, `<…>` mentions. */
const DISCORD_MARKUP = /[\\*_~`|>#\-[\]()<]/g;
/** Inside a plain web address Discord makes no markdown, but a masked link may wrap it. */
const DISCORD_URL_MARKUP = /[\\*`|[\]()]/g;
const WEB_ADDRESS = /(https?:\/\/[^\s<>]+)/i;

/**
 * Discord shows a character escaped with a backslash as itself. A bare web address is kept
 * clickable, as the address it is (Discord links bare addresses even where markdown is escaped);
 * the characters in it that could close or open a masked link are percent-encoded, which names
 * the same address. Escaping lengthens the text, so `max` bounds the result (Discord refuses a
 * message over its limits): it is cut between escapes, never inside one, and ends with "…".
 */
export function escapeDiscordText(text: string, max = Infinity): string {
  const units = text
    .split(WEB_ADDRESS)
    .flatMap((part, i) =>
      [...part].map((c) =>
        i % 2 === 1
          ? c.replace(DISCORD_URL_MARKUP, (m) => `%${m.charCodeAt(0).toString(16).toUpperCase()}`)
          : c.replace(DISCORD_MARKUP, '\\$&'),
      ),
    );
  let out = '';
  for (const [n, unit] of units.entries()) {
    const last = n === units.length - 1;
    if (out.length + unit.length + (last ? 0 : 1) > max) return `${out}…`;
    out += unit;
  }
  return out;
}
