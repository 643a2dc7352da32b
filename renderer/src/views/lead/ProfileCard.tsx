/**
 * Who the lead is, editable in place: name, email, phone, segment and tags, with links that
 * open the owner's mail app or phone. An email another lead has offers to merge the two.
 */
import { useState, type FormEvent } from 'react';
import type { Lead } from '../../../../shared/api/models.js';
import { ApiClientError, errorMessage } from '../../api/errors.js';
import { useApiMutation } from '../../api/queries.js';
import { Button } from '../../components/Button.js';
import { Field } from '../../components/Form.js';
import { Card, Notice } from '../../components/Layout.js';
import { useToasts } from '../../components/Toasts.js';
import { formatDateTime } from '../../lib/format.js';
import { humanize, stageWords } from '../../lib/labels.js';

const EDITABLE = [
  ['first_name', 'First name'],
  ['last_name', 'Last name'],
  ['email', 'Email'],
  ['phone', 'Phone'],
  ['segment', 'Segment'],
] as const;
type Draft = Record<(typeof EDITABLE)[number][0] | 'tags', string>;

const draftOf = (lead: Lead): Draft => ({
  first_name: lead.first_name ?? '',
  last_name: lead.last_name ?? '',
  email: lead.email,
  phone: lead.phone ?? '',
  segment: lead.segment ?? '',
  tags: lead.tags.join(', '),
});

function ProfileRows({ lead }: { lead: Lead }) {
  const rows: [string, React.ReactNode][] = [
    ['Email', <a href={`mailto:${lead.email}`}>{lead.email}</a>],
    ['Phone', lead.phone && <a href={`tel:${lead.phone.replace(/[^\d+]/g, '')}`}>{lead.phone}</a>],
    ['Segment', lead.segment],
    ['Tags', lead.tags.length ? lead.tags.join(', ') : null],
    ['Came from', lead.source],
    ['Automatic stage', stageWords(lead.stage)],
    ['Priority', humanize(lead.priority)],
    ['Added', formatDateTime(lead.created_at)],
    ['Last change', formatDateTime(lead.updated_at)],
  ];
  return (
    <dl className="profile">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v || <span className="muted">–</span>}</dd>
        </div>
      ))}
    </dl>
  );
}

export function ProfileCard({ lead }: { lead: Lead }) {
  const [draft, setDraft] = useState<Draft | null>(null);
  const [mergeOffer, setMergeOffer] = useState<string | null>(null);
  const save = useApiMutation('updateLead', ['getLead', 'listLeads']);
  const { push } = useToasts();
  const problems = save.error instanceof ApiClientError ? save.error.fields : [];
  const problem = (path: string) => problems.find((p) => p.path === path || p.path.startsWith(`${path}.`))?.message;

  const submit = (merge: boolean) => {
    if (!draft) return;
    const text = (v: string) => (v.trim() === '' ? null : v.trim());
    save.mutate(
      {
        id: lead.id,
        first_name: text(draft.first_name),
        last_name: text(draft.last_name),
        phone: text(draft.phone),
        segment: text(draft.segment),
        email: draft.email.trim(),
        tags: draft.tags.split(',').map((t) => t.trim()).filter(Boolean),
        merge,
      },
      {
        onSuccess: (r) => {
          setDraft(null);
          setMergeOffer(null);
          push({ tone: 'good', title: r.merged_with ? `Merged with ${r.merged_with}` : 'Lead saved' });
        },
        onError: (e) => {
          if (e instanceof ApiClientError && e.code === 'conflict') setMergeOffer(draft.email.trim());
        },
      },
    );
  };

  return (
    <Card
      title="Profile"
      labelledBy="lead-profile-title"
      actions={
        !draft && (
          <Button size="sm" icon="pencil" onClick={() => setDraft(draftOf(lead))}>
            Edit
          </Button>
        )
      }
    >
      {!draft ? (
        <ProfileRows lead={lead} />
      ) : (
        <form
          className="profile-form"
          aria-label="Edit lead"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            submit(false);
          }}
        >
          {EDITABLE.map(([key, label]) => (
            <Field key={key} label={label} error={problem(key)}>
              {(p) => (
                <input
                  {...p}
                  type={key === 'email' ? 'email' : key === 'phone' ? 'tel' : 'text'}
                  value={draft[key]}
                  onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
                />
              )}
            </Field>
          ))}
          <Field label="Tags" hint="Separate tags with commas." error={problem('tags')}>
            {(p) => <input {...p} value={draft.tags} onChange={(e) => setDraft({ ...draft, tags: e.target.value })} />}
          </Field>
          {mergeOffer && (
            <Notice
              tone="warn"
              title={`Another lead already has ${mergeOffer}`}
              actions={
                <Button variant="primary" size="sm" busy={save.isPending} onClick={() => submit(true)}>
                  Merge the two leads
                </Button>
              }
            >
              Merging keeps this lead and joins the other one's history, notes and tags into it.
            </Notice>
          )}
          {save.error && !mergeOffer && !problems.length && <p className="field-error">{errorMessage(save.error)}</p>}
          <div className="form-actions">
            <Button type="submit" variant="primary" busy={save.isPending}>
              Save
            </Button>
            <Button
              onClick={() => {
                setDraft(null);
                setMergeOffer(null);
                save.reset();
              }}
            >
              Cancel
            </Button>
          </div>
        </form>
      )}
    </Card>
  );
}
