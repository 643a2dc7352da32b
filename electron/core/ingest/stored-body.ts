/** A stored request's body parsed again as the receiver parsed it (for releasing and previewing held requests). */
import { bodyKind, parseBody, type ParsedBody } from './body.js';

export async function parseStoredBody(r: { content_type: string | null; body: Buffer }, honeypotField: string): Promise<ParsedBody> {
  const kind = bodyKind(r.content_type ?? undefined);
  if (!kind) return { ok: false, status: 415, reason: `content type "${r.content_type ?? '(none)'}" is not supported` };
  const parsed = await parseBody(kind, r.body, r.content_type ?? '');
  if (parsed.ok) delete parsed.value[honeypotField];
  return parsed;
}
