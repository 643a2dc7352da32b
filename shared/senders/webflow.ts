/**
 * Webflow: `{triggerType: "form_submission", payload: {name, siteId, data, schema, submittedAt,
 * id, formId}}`, `data` keyed by the form's field names ("First Name", "email", "Phone Number").
 * Signed with `x-webflow-signature` and `x-webflow-timestamp` (see ingest/signatures.ts).
 */
import type { SenderPreset } from './entry.js';
import { flatten, isObject } from './fields.js';

export const webflow: SenderPreset = {
  name: 'webflow',
  label: 'Webflow',
  docs: 'https://developers.webflow.com/data/reference/webhooks/events/form-submission',
  recognize: (body) => body.triggerType === 'form_submission' && isObject(body.payload) && isObject(body.payload.data),
  read(body, { assessment }) {
    const p = body.payload as Record<string, unknown>;
    const data = p.data as Record<string, unknown>;
    return {
      body: flatten(
        Object.entries(data).map(([key, value]) => ({ key, kind: 'other' as const, value })),
        {
          ...(typeof p.id === 'string' && { event_id: `webflow:${p.id}` }),
          ...(typeof p.submittedAt === 'string' && { timestamp: p.submittedAt }),
          source: 'webflow',
        },
        assessment,
      ),
    };
  },
};
