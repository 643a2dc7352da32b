/**
 * Elementor Pro's form Webhook action, in both of its modes (a URL-encoded post, built by
 * WordPress from a PHP array):
 * - "Advanced Data" on: `form[id]`, `form[name]`, `fields[<id>][id|type|title|value|raw_value]`
 *   and `meta[...]`; the field's type says which is the email (`email`) and phone (`tel`).
 * - off (the default): each field under its label (`Name=…&Email=…`), plus `form_id` and
 *   `form_name`.
 * Elementor counts only a 200 as delivered (anything else shows the visitor "Webhook error"):
 * see `acceptedStatus` in index.ts.
 */
import type { SenderPreset } from './entry.js';
import { flatten, isObject, text, type Answer } from './fields.js';

const advanced = (body: Record<string, unknown>) =>
  isObject(body.form) && isObject(body.fields) && Object.values(body.fields).some((f) => isObject(f) && 'value' in f);

function advancedAnswers(fields: Record<string, unknown>): Answer[] {
  return Object.entries(fields)
    .filter((e): e is [string, Record<string, unknown>] => isObject(e[1]))
    .map(([id, f]) => ({
      key: text(f.title) ?? text(f.id) ?? id,
      kind: f.type === 'email' ? 'email' : f.type === 'tel' ? 'phone' : f.type === 'number' ? 'number' : 'other',
      value: f.value,
    }));
}

export const elementor: SenderPreset = {
  name: 'elementor',
  label: 'Elementor Pro forms',
  docs: 'https://github.com/orgs/elementor/discussions/21768 (field labels as keys); elementor-pro modules/forms/actions/webhook.php',
  recognize: (body) => advanced(body) || (typeof body.form_id === 'string' && typeof body.form_name === 'string'),
  read(body, { assessment }) {
    if (advanced(body)) {
      return { body: flatten(advancedAnswers(body.fields as Record<string, unknown>), { source: 'elementor' }, assessment) };
    }
    const { form_id: _id, form_name: _name, ...labels } = body;
    return {
      body: flatten(
        Object.entries(labels).map(([key, value]) => ({ key, kind: 'other' as const, value })),
        { source: 'elementor' },
        assessment,
      ),
    };
  },
};
