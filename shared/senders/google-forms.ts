/**
 * Google Forms, through the Apps Script in the landing kit (a form-submit trigger on the
 * responses sheet): `{namedValues, responseId, submittedAt}`, where `namedValues` is the
 * trigger's own event field, each question's title with a list of answers
 * (`{"Email Address": ["…"], "First name": ["…"]}`). One-element lists are the answer itself.
 */
import type { SenderPreset } from './entry.js';
import { flatten, isObject, text } from './fields.js';

/** Google's column of the time the form was submitted: `submittedAt` says it in ISO form instead. */
const TIMESTAMP_COLUMN = 'Timestamp';

export const googleForms: SenderPreset = {
  name: 'google-forms',
  label: 'Google Forms',
  docs: 'https://developers.google.com/apps-script/guides/triggers/events#form-submit_2',
  recognize: (body) => isObject(body.namedValues) && Object.values(body.namedValues).every(Array.isArray),
  read(body, { assessment }) {
    const named = body.namedValues as Record<string, unknown>;
    return {
      body: flatten(
        Object.entries(named)
          .filter(([key]) => key !== TIMESTAMP_COLUMN)
          .map(([key, value]) => ({ key, kind: 'other' as const, value })),
        {
          ...(text(body.responseId) && { event_id: `google-forms:${text(body.responseId)}` }),
          ...(text(body.submittedAt) && { timestamp: text(body.submittedAt) }),
          source: 'google-forms',
        },
        assessment,
      ),
    };
  },
};
