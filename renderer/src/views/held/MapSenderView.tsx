/**
 * Mapping a new sender: the fields of its first waiting request, each with a choice of what it
 * holds (email, names, phone, segment, source, score, ratings); a preview on the sender's last
 * requests; and saving, after which the waiting requests go through, oldest first.
 */
import { useMemo, useState } from 'react';
import type { HeldSender, MappingPreview } from '../../../../shared/api/models.js';
import { MAPPED_FIELD_WORDS, MAPPED_FIELDS, type FieldMapping, type MappedField } from '../../../../shared/mapping/model.js';
import { errorMessage } from '../../api/errors.js';
import { useApiMutation, useApiQuery } from '../../api/queries.js';
import { Button } from '../../components/Button.js';
import { Card, EmptyState, Notice, Page } from '../../components/Layout.js';
import { QueryState } from '../../components/QueryState.js';
import { useToasts } from '../../components/Toasts.js';
import { formatDateTime, formatRelative } from '../../lib/format.js';
import { href, navigate } from '../../lib/router.js';

type Choice = MappedField | 'ratings' | '';
const key = (path: (string | number)[]) => JSON.stringify(path);

function toMapping(choices: Record<string, Choice>): Partial<FieldMapping> {
  const m: Partial<FieldMapping> = { ratings: [] };
  for (const [k, choice] of Object.entries(choices)) {
    const path = JSON.parse(k) as (string | number)[];
    if (choice === 'ratings') m.ratings!.push(path);
    else if (choice) m[choice] = path;
  }
  return m;
}

export function MapSenderView({ endpoint, shape }: { endpoint: string; shape: string }) {
  const held = useApiQuery('listHeldSenders', {});
  const endpoints = useApiQuery('listEndpoints', {});
  const title = endpoints.data?.items.find((e) => e.name === endpoint)?.title ?? endpoint;
  return (
    <Page title="Show Leadbell where the details are" windowTitle="Map a new sender" intro={`A sender Leadbell does not know yet posted to your ${title} address.`}>
      <QueryState query={held} what="Waiting requests">
        {(data) => {
          const group = data.items.find((g) => g.endpoint === endpoint && g.shape === shape);
          if (!group) {
            return (
              <EmptyState title="Nothing from this sender is waiting">
                Its requests have gone through already. <a href={href('/events')}>See them in Events</a>.
              </EmptyState>
            );
          }
          return <MapSender group={group} assessment={endpoint === 'assessment'} />;
        }}
      </QueryState>
    </Page>
  );
}

function MapSender({ group, assessment }: { group: HeldSender; assessment: boolean }) {
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [preview, setPreview] = useState<MappingPreview[] | null>(null);
  const previewing = useApiMutation('previewMapping', []);
  const saving = useApiMutation('saveMapping', ['listHeldSenders', 'listRequests', 'listMappings']);
  const { push } = useToasts();
  const mapping = useMemo(() => toMapping(choices), [choices]);
  const hasEmail = mapping.email !== undefined;
  const options: (MappedField | 'ratings')[] = [...MAPPED_FIELDS.filter((f) => assessment || f !== 'score'), ...(assessment ? (['ratings'] as const) : [])];
  const taken = new Set(Object.values(choices).filter((c) => c && c !== 'ratings'));

  const choose = (path: (string | number)[], choice: Choice) => {
    setPreview(null);
    setChoices((prev) => {
      const next = { ...prev };
      // One field per lead detail: choosing Email here frees the field that held it before.
      if (choice && choice !== 'ratings') for (const [k, c] of Object.entries(next)) if (c === choice) delete next[k];
      if (choice) next[key(path)] = choice;
      else delete next[key(path)];
      return next;
    });
  };
  const onPreview = () =>
    previewing.mutate(
      { endpoint: group.endpoint, shape: group.shape, mapping: mapping as FieldMapping },
      { onSuccess: (r) => setPreview(r.items), onError: (e) => push({ tone: 'bad', title: 'Could not preview', body: errorMessage(e) }) },
    );
  const onSave = () =>
    saving.mutate(
      { endpoint: group.endpoint, shape: group.shape, mapping: mapping as FieldMapping },
      {
        onSuccess: (r) => {
          push({
            tone: 'good',
            title: 'Saved',
            body: `${r.released === 1 ? 'The waiting request is' : `The ${r.released} waiting requests are`} going through your automations now, and this sender's next ones will too.`,
          });
          navigate('/events');
        },
        onError: (e) => push({ tone: 'bad', title: 'Could not save', body: errorMessage(e) }),
      },
    );

  return (
    <>
      <Card
        title="What is in the request"
        labelledBy="held-fields-title"
        subtitle={`${group.count === 1 ? '1 request is' : `${group.count} requests are`} waiting, the first from ${formatRelative(group.first_at)} (${formatDateTime(group.first_at)}). Pick what each field holds: only Email is needed.`}
      >
        {group.fields.length === 0 ? (
          <Notice tone="bad">Leadbell could not read this request's fields. Its sender may need to send JSON or a form.</Notice>
        ) : (
          <table className="kv-table map-table">
            <caption className="sr-only">Fields of the first waiting request</caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">What it held</th>
                <th scope="col">It is the lead's</th>
              </tr>
            </thead>
            <tbody>
              {group.fields.map((f) => {
                const choice = choices[key(f.path)] ?? '';
                return (
                  <tr key={key(f.path)} className={choice ? 'map-row-chosen' : undefined}>
                    <th scope="row">{f.label}</th>
                    <td>{f.value}</td>
                    <td>
                      <select aria-label={`What “${f.label}” holds`} value={choice} onChange={(e) => choose(f.path, e.target.value as Choice)}>
                        <option value="">Not used</option>
                        {options.map((o) => (
                          <option key={o} value={o}>
                            {MAPPED_FIELD_WORDS[o]}
                            {o !== 'ratings' && taken.has(o) && choice !== o ? ' (moves here)' : ''}
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        <div className="form-actions">
          <Button icon="eye" onClick={onPreview} disabled={!hasEmail} busy={previewing.isPending}>
            Preview
          </Button>
          {!hasEmail && <span className="muted small">Choose the field that holds the email first.</span>}
        </div>
      </Card>
      {preview && (
        <Card title="What Leadbell would make of this sender's requests" labelledBy="held-preview-title" subtitle={`The last ${preview.length}, newest first.`}>
          <table className="kv-table preview-table">
            <caption className="sr-only">Preview</caption>
            <thead>
              <tr>
                <th scope="col">Received</th>
                <th scope="col">Email</th>
                <th scope="col">Name</th>
                <th scope="col">Phone</th>
                {assessment && <th scope="col">Score</th>}
              </tr>
            </thead>
            <tbody>
              {preview.map((p) => (
                <tr key={p.request_id}>
                  <td>{formatDateTime(p.received_at)}</td>
                  {p.lead ? (
                    <>
                      <td>{p.lead.email}</td>
                      <td>{[p.lead.first_name, p.lead.last_name].filter(Boolean).join(' ') || '—'}</td>
                      <td>{p.lead.phone ?? '—'}</td>
                      {assessment && <td>{p.lead.score ?? '—'}</td>}
                    </>
                  ) : (
                    <td colSpan={assessment ? 4 : 3}>Would be refused: {p.errors.map((e) => `${e.path.replace(/_/g, ' ')} ${e.message}`).join('; ')}</td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          <div className="form-actions">
            <Button variant="primary" icon="check" onClick={onSave} busy={saving.isPending}>
              {group.count === 1 ? 'Save and let the waiting request through' : `Save and let the ${group.count} waiting requests through`}
            </Button>
          </div>
        </Card>
      )}
    </>
  );
}
