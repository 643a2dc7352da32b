/**
 * Typeform: `form_response.answers`, `hidden`, `calculated.score`; the delivery's `event_id`.
 * Answers are keyed by the question's ref when the form's author named it (`first_name`), and by
 * the question's title from `definition.fields` when Typeform made the ref up (a random id).
 * Email and phone questions fill `email` and `phone` whatever they are called.
 */
import type { SenderPreset } from './entry.js';
import { flatten, isObject, type Answer } from './fields.js';

/** Refs Typeform generates: a UUID, or its 12-character field id. */
const GENERATED_REF = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[A-Za-z0-9]{12})$/i;

function answers(fr: Record<string, unknown>): Answer[] {
  const definition = isObject(fr.definition) && Array.isArray(fr.definition.fields) ? fr.definition.fields.filter(isObject) : [];
  const titles = new Map(definition.map((f) => [String(f.id), typeof f.title === 'string' ? f.title : undefined]));
  const list = Array.isArray(fr.answers) ? fr.answers.filter(isObject) : [];
  return list.map((a) => {
    const field = isObject(a.field) ? a.field : {};
    const type = typeof a.type === 'string' ? a.type : '';
    let value = a[type];
    if (isObject(value) && 'label' in value) value = value.label;
    if (isObject(value) && Array.isArray(value.labels)) value = value.labels.join(', ');
    const kind = type === 'email' ? 'email' : type === 'phone_number' ? 'phone' : type === 'number' ? 'number' : 'other';
    const ref = typeof field.ref === 'string' && !GENERATED_REF.test(field.ref) ? field.ref : undefined;
    return { key: String(ref ?? titles.get(String(field.id)) ?? field.ref ?? field.id ?? type), kind, value };
  });
}

export const typeform: SenderPreset = {
  name: 'typeform',
  label: 'Typeform',
  docs: 'https://www.typeform.com/developers/webhooks/example-payload/',
  recognize: (body) => isObject(body.form_response),
  read(body, { assessment }) {
    const fr = body.form_response as Record<string, unknown>;
    const hidden = isObject(fr.hidden) ? fr.hidden : {};
    const calculated = isObject(fr.calculated) ? fr.calculated : {};
    return {
      body: flatten(
        answers(fr),
        {
          ...hidden,
          ...(typeof body.event_id === 'string' && { event_id: body.event_id }),
          ...(typeof fr.submitted_at === 'string' && { timestamp: fr.submitted_at }),
          ...(assessment && typeof calculated.score === 'number' && { score: calculated.score }),
          source: typeof hidden.source === 'string' ? hidden.source : 'typeform',
        },
        assessment,
      ),
    };
  },
};
