/**
 * Jotform: a multipart/form-data post with `formID`, `submissionID` and `rawRequest`, the answers
 * as a JSON string keyed `q<number>_<field name>` (`q3_name: {first, last}`, `q4_email`). The
 * field name after the number is read like a label; a name field gives first and last name.
 */
import type { SenderPreset } from './entry.js';
import { flatten, isObject, jsonObjectIn, nameParts, text, type Answer } from './fields.js';

const QUESTION = /^q\d+_(.+)$/;

function answers(raw: Record<string, unknown>): { answers: Answer[]; names: Record<string, string> } {
  const list: Answer[] = [];
  let names: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    const m = QUESTION.exec(key);
    if (!m) continue;
    const parts = nameParts(value);
    if (parts) {
      if (!Object.keys(names).length) names = parts as Record<string, string>;
      continue;
    }
    // Jotform's phone field answers {full: "(555) 555-0100"} (or {area, phone}).
    const phone = isObject(value) ? (text(value.full) ?? [text(value.area), text(value.phone)].filter(Boolean).join(' ')) : undefined;
    list.push({ key: m[1]!, kind: phone !== undefined ? 'phone' : 'other', value: phone || value });
  }
  return { answers: list, names };
}

export const jotform: SenderPreset = {
  name: 'jotform',
  label: 'Jotform',
  docs: 'https://www.jotform.com/help/245-how-to-setup-a-webhook-with-jotform/',
  recognize: (body) => typeof body.rawRequest === 'string' && (typeof body.formID === 'string' || typeof body.submissionID === 'string'),
  read(body, { assessment }) {
    const raw = jsonObjectIn(body.rawRequest) ?? {};
    const { answers: list, names } = answers(raw);
    return {
      body: flatten(
        list,
        {
          ...names,
          ...(typeof body.submissionID === 'string' && { event_id: `jotform:${body.submissionID}` }),
          source: 'jotform',
        },
        assessment,
      ),
    };
  },
};
