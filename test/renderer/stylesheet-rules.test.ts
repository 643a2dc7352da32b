/**
 * The stylesheet is written flat: a rule is never opened inside another rule (only inside
 * at-rules such as @media). Browsers read a missing "}" as CSS nesting and the build accepts it,
 * so a rule left open silently scopes every rule after it under its selector.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';

function rulesOpenedInsideRules(css: string): string[] {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '));
  const open: { selector: string; line: number }[] = [];
  const problems: string[] = [];
  let start = 0;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') line++;
    if (ch === '{') {
      const selector = text.slice(start, i).trim().split('\n').pop()!.trim();
      const parent = open[open.length - 1];
      if (parent && !parent.selector.startsWith('@')) problems.push(`line ${line}: "${selector}" opened inside "${parent.selector}" (line ${parent.line})`);
      open.push({ selector, line });
      start = i + 1;
    } else if (ch === '}') {
      if (!open.pop()) problems.push(`line ${line}: a "}" closes nothing`);
      start = i + 1;
    } else if (ch === ';') start = i + 1;
  }
  for (const o of open) problems.push(`line ${o.line}: "${o.selector}" is never closed`);
  return problems;
}

describe('the stylesheet', () => {
  it('opens no rule inside another rule and closes every rule', () => {
    const css = fs.readFileSync(new URL('../../renderer/src/styles/app.css', import.meta.url), 'utf8');
    expect(rulesOpenedInsideRules(css)).toEqual([]);
  });

  it('finds a rule left open', () => {
    expect(rulesOpenedInsideRules('.a {\n  color: red;\n.b {\n  color: blue;\n}\n')).toEqual([
      'line 3: ".b" opened inside ".a" (line 1)',
      'line 1: ".a" is never closed',
    ]);
  });
});
