/**
 * The resource ids that name a lead on its events (normalize.ts gives opt-ins and assessments
 * `lead.<email>`, Loops' engagement `email.<email>`, page visits `visitor.<id>`), both ways:
 * a lead's timeline finds its events by them (its former emails' too, after an edit or a merge),
 * and an event finds its lead.
 */
export function leadResourceIds(lead: { email: string; visitor_id: string | null; former_emails?: readonly string[] }): string[] {
  const emails = [lead.email, ...(lead.former_emails ?? [])];
  return [...emails.flatMap((e) => [`lead.${e}`, `email.${e}`]), ...(lead.visitor_id ? [`visitor.${lead.visitor_id}`] : [])];
}

export type LeadKey = { email: string } | { visitor_id: string };

/** Which lead a resource id names, if it names one. */
export function leadKeyOf(resourceId: string): LeadKey | null {
  const dot = resourceId.indexOf('.');
  const key = resourceId.slice(dot + 1);
  if (dot < 0 || !key) return null;
  const kind = resourceId.slice(0, dot);
  if (kind === 'lead' || kind === 'email') return { email: key };
  if (kind === 'visitor') return { visitor_id: key };
  return null;
}
