/**
 * Native webhook bodies of form tools, flattened to Leadbell's field names before validation:
 * Typeform (`form_response.answers`, `hidden`, `calculated.score`) and Tally (`data.fields`).
 * Answers are keyed by the question's ref (Typeform) or label (Tally), in snake_case, so a
 * question with ref `first_name` fills `first_name`. Email and phone questions fill `email` and
 * `phone` whatever they are called; on the assessment endpoint, other numeric answers become
 * `assessment_data` ratings. The sender's delivery id becomes `event_id` (so retries dedupe).
 */
type Body = Record<string, unknown>;

const LEAD_FIELDS = new Set(['email', 'first_name', 'last_name', 'phone', 'visitor_id', 'segment', 'source', 'score', 'duration']);

const isObject = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);

function snake(s: string): string {
  return s
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64);
}

interface Answer {
  key: string;
  kind: 'email' | 'phone' | 'number' | 'other';
  value: unknown;
}

function typeformAnswers(fr: Body): Answer[] {
  const answers = Array.isArray(fr.answers) ? fr.answers : [];
  return answers.filter(isObject).map((a) => {
    const field = isObject(a.field) ? a.field : {};
    const type = typeof a.type === 'string' ? a.type : '';
    let value = a[type];
    if (isObject(value) && 'label' in value) value = value.label;
    if (isObject(value) && Array.isArray(value.labels)) value = value.labels.join(', ');
    const kind = type === 'email' ? 'email' : type === 'phone_number' ? 'phone' : type === 'number' ? 'number' : 'other';
    return { key: snake(String(field.ref ?? field.id ?? type)), kind, value };
  });
}

function tallyAnswers(data: Body): Answer[] {
  const fields = Array.isArray(data.fields) ? data.fields : [];
  return fields.filter(isObject).map((f) => {
    const type = typeof f.type === 'string' ? f.type : '';
    const kind = type === 'INPUT_EMAIL' ? 'email' : type === 'INPUT_PHONE_NUMBER' ? 'phone'
      : ['INPUT_NUMBER', 'RATING', 'LINEAR_SCALE'].includes(type) ? 'number' : 'other';
    return { key: snake(String(f.label ?? f.key ?? type)), kind, value: f.value };
  });
}

function flatten(answers: Answer[], extra: Body, assessment: boolean): Body {
  const out: Body = { ...extra };
  const ratings: Body = {};
  for (const a of answers) {
    if (a.value === null || a.value === undefined || isObject(a.value) || Array.isArray(a.value)) continue;
    if (a.kind === 'email' && out.email === undefined) out.email = a.value;
    else if (a.kind === 'phone' && out.phone === undefined) out.phone = a.value;
    else if (LEAD_FIELDS.has(a.key)) out[a.key] ??= a.value;
    else if (assessment && a.kind === 'number') ratings[a.key] = a.value;
    else out[a.key] ??= a.value;
  }
  if (Object.keys(ratings).length && out.assessment_data === undefined) out.assessment_data = ratings;
  return out;
}

/** Returns the body in Leadbell's shape if it is a known form tool's native body, else unchanged. */
export function adaptSenderFormat(body: Body, assessment: boolean): Body {
  const fr = body.form_response;
  if (isObject(fr)) {
    const hidden = isObject(fr.hidden) ? fr.hidden : {};
    const calculated = isObject(fr.calculated) ? fr.calculated : {};
    return flatten(
      typeformAnswers(fr),
      {
        ...hidden,
        ...(typeof body.event_id === 'string' && { event_id: body.event_id }),
        ...(typeof fr.submitted_at === 'string' && { timestamp: fr.submitted_at }),
        ...(assessment && typeof calculated.score === 'number' && { score: calculated.score }),
        source: typeof hidden.source === 'string' ? hidden.source : 'typeform',
      },
      assessment,
    );
  }
  const data = body.data;
  if (body.eventType === 'FORM_RESPONSE' && isObject(data)) {
    return flatten(
      tallyAnswers(data),
      {
        ...(typeof body.eventId === 'string' && { event_id: body.eventId }),
        ...(typeof body.createdAt === 'string' && { timestamp: body.createdAt }),
        source: 'tally',
      },
      assessment,
    );
  }
  return body;
}
