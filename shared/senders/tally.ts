/**
 * Tally: `data.fields`, each with its label, type and value; the delivery's `eventId`. Choice
 * questions (MULTIPLE_CHOICE, CHECKBOXES, DROPDOWN, ...) give option ids as the value and the
 * options beside them: the answer is the chosen options' text. Tally also sends one true/false
 * field per checkbox option (its key is the question's key and the option id): those repeat the
 * answer and are left out.
 */
import type { SenderPreset } from './entry.js';
import { flatten, isObject, type Answer } from './fields.js';

const NUMBER_TYPES = new Set(['INPUT_NUMBER', 'RATING', 'LINEAR_SCALE']);

function choiceText(value: unknown, options: unknown): unknown {
  if (!Array.isArray(options) || !Array.isArray(value)) return value;
  const byId = new Map(options.filter(isObject).map((o) => [String(o.id), o.text]));
  const labels = value.map((id) => byId.get(String(id)) ?? id);
  return labels.every((l) => typeof l === 'string') ? labels.join(', ') : value;
}

function answers(data: Record<string, unknown>): Answer[] {
  const fields = Array.isArray(data.fields) ? data.fields.filter(isObject) : [];
  const keys = fields.map((f) => String(f.key ?? ''));
  return fields
    .filter((f, i) => !keys.some((k, j) => j !== i && k && String(f.key ?? '').startsWith(`${k}_`)))
    .map((f) => {
      const type = typeof f.type === 'string' ? f.type : '';
      const kind = type === 'INPUT_EMAIL' ? 'email' : type === 'INPUT_PHONE_NUMBER' ? 'phone' : NUMBER_TYPES.has(type) ? 'number' : 'other';
      return { key: String(f.label ?? f.key ?? type), kind, value: choiceText(f.value, f.options) };
    });
}

export const tally: SenderPreset = {
  name: 'tally',
  label: 'Tally',
  docs: 'https://tally.so/help/webhooks',
  recognize: (body) => body.eventType === 'FORM_RESPONSE' && isObject(body.data),
  read(body, { assessment }) {
    return {
      body: flatten(
        answers(body.data as Record<string, unknown>),
        {
          ...(typeof body.eventId === 'string' && { event_id: body.eventId }),
          ...(typeof body.createdAt === 'string' && { timestamp: body.createdAt }),
          source: 'tally',
        },
        assessment,
      ),
    };
  },
};
