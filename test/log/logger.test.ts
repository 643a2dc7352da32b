/** The logger: JSON lines, levels, secrets redacted by key (at any depth, in child bindings) and by value, stacks kept. */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../electron/core/log/logger.js';

function capture(level: 'debug' | 'info' = 'debug') {
  const lines: string[] = [];
  const log = createLogger({ level, write: (l) => lines.push(l) });
  return { log, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('logger', () => {
  it('writes one JSON object per line with time, level name and message', () => {
    const { log, parsed } = capture();
    log.info('lead stored', { lead_id: 'l1' });
    const [line] = parsed();
    expect(line).toMatchObject({ level: 'info', msg: 'lead stored', lead_id: 'l1' });
    expect(new Date(String(line!.time)).getTime()).toBeGreaterThan(0);
  });

  it('drops lines below the level', () => {
    const { log, lines } = capture('info');
    log.debug('noise');
    log.warn('kept');
    expect(lines).toHaveLength(1);
  });

  it('redacts secret-looking keys at any depth, in fields and in child bindings', () => {
    const { log, lines } = capture();
    log.child({ api_key: 'child-key-value' }).info('call', { headers: { Authorization: 'Bearer abc', accept: 'json' }, nested: [{ password: 'pw-value' }] });
    const text = lines.join('\n');
    expect(text).not.toMatch(/child-key-value|Bearer abc|pw-value/);
    expect(text).toContain('"accept":"json"');
    expect(text.match(/\[redacted\]/g)).toHaveLength(3);
  });

  it('masks a registered secret value wherever it appears, also in children made before it was registered', () => {
    const { log, lines } = capture();
    const child = log.child({ component: 'x' });
    log.addSecret('registered-secret-42');
    child.error('failed', { detail: 'url https://x/registered-secret-42/y' });
    expect(lines.join('\n')).not.toContain('registered-secret-42');
    expect(lines.join('\n')).toContain('https://x/[redacted]/y');
  });

  it('masks email addresses anywhere in a line: a vendor may echo a lead\'s address in its error', () => {
    const { log, lines } = capture();
    log.warn('outbound call refused', { detail: 'Contact ana.q+promo@salon-example.co.uk is invalid', lead_id: 'l1', url: 'https://user@host.example/x' });
    const text = lines.join('\n');
    expect(text).not.toContain('ana.q+promo@salon-example.co.uk');
    expect(text).toContain('Contact [email] is invalid');
    expect(text).toContain('"lead_id":"l1"');
  });

  it('keeps the stack of a logged error', () => {
    const { log, parsed } = capture();
    log.error('step failed', { err: new Error('boom') });
    const err = parsed()[0]!.err as { message: string; stack: string };
    expect(err.message).toBe('boom');
    expect(err.stack).toMatch(/logger\.test\.ts/);
  });
});
