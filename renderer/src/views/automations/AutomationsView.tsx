/** Automations: which flows run on which events, switched on and off, edited, and tried out. */
import { useState } from 'react';
import type { Trigger } from '../../../../shared/api/models.js';
import { useApiMutation, useApiQuery } from '../../api/queries.js';
import { errorMessage } from '../../api/errors.js';
import { Button } from '../../components/Button.js';
import { Switch } from '../../components/Form.js';
import { Card, EmptyState, Page } from '../../components/Layout.js';
import { QueryState } from '../../components/QueryState.js';
import { useToasts } from '../../components/Toasts.js';
import { eventWords, humanize } from '../../lib/labels.js';
import { ExportForPrefect, ImportFromPrefect } from './PrefectExchange.js';
import { TriggerEditor, toDraft } from './TriggerEditor.js';

function describe(t: Trigger): string {
  const words = t.expect.map((e, i) => (i === 0 ? eventWords(e) : eventWords(e).replace(/^./, (c) => c.toLowerCase())));
  const when = words.length ? words.join(' or ') : 'Anything arrives';
  const threshold = t.threshold ? `, ${t.threshold.count} times within ${Math.round(t.threshold.within_seconds / 3600)} h` : '';
  const delay = t.schedule_after_seconds ? `, after ${Math.round(t.schedule_after_seconds / 60)} min` : '';
  return `${when}${threshold}${delay}`;
}

function TriggerRow({ t, flowTitle, does, onEdit }: { t: Trigger; flowTitle: string; does: string | undefined; onEdit: () => void }) {
  const save = useApiMutation('saveTrigger', ['listTriggers']);
  const { push } = useToasts();
  return (
    <li className="trigger-row" data-testid="trigger-row">
      <Switch
        label={t.name}
        checked={t.enabled}
        disabled={save.isPending}
        description={
          <>
            <span>{`${describe(t)} → ${flowTitle}`}</span>
            {does && <span className="trigger-does" data-testid="flow-description">{does}</span>}
          </>
        }
        onChange={(enabled) =>
          save.mutate({ ...toDraft(t), enabled }, { onError: (e) => push({ tone: 'bad', title: 'Could not save', body: errorMessage(e) }) })
        }
      />
      <Button size="sm" onClick={onEdit} aria-label={`Edit ${t.name}`}>
        Edit
      </Button>
    </li>
  );
}

export function AutomationsView() {
  const triggers = useApiQuery('listTriggers', {});
  const flows = useApiQuery('listFlows', {});
  const [editing, setEditing] = useState<Trigger | 'new' | null>(null);
  const [importing, setImporting] = useState(false);
  const flowTitle = (name: string) => flows.data?.items.find((f) => f.name === name)?.title ?? humanize(name);
  const flowDoes = (name: string) => flows.data?.items.find((f) => f.name === name)?.description;
  return (
    <Page
      title="Automations"
      intro="What Leadbell does by itself when something arrives: welcome emails, alerts, scoring and follow-ups."
      actions={
        triggers.isSuccess && (
          <>
            <ExportForPrefect />
            <Button onClick={() => setImporting(true)}>Import from Prefect</Button>
            <Button variant="primary" icon="zap" onClick={() => setEditing('new')}>
              New automation
            </Button>
          </>
        )
      }
    >
      {importing && <ImportFromPrefect flows={flows.data?.items ?? []} onDone={() => setImporting(false)} />}
      {/* The editor starts a new automation from its flow's usual wiring: it waits for the flows. */}
      {editing === 'new' && !flows.isPending && <TriggerEditor key="new" initial={null} flows={flows.data?.items ?? []} onDone={() => setEditing(null)} />}
      <Card title="When this happens, do that" labelledBy="triggers-title">
        <QueryState query={triggers} what="Automations">
          {(data) =>
            data.items.length ? (
              <ul className="trigger-list">
                {data.items.map((t) =>
                  // An automation is edited where it is listed: its wiring and its flow's settings in one form.
                  editing !== 'new' && editing?.id === t.id && !flows.isPending ? (
                    <li key={t.id} className="trigger-editing">
                      <TriggerEditor initial={editing} flows={flows.data?.items ?? []} onDone={() => setEditing(null)} />
                    </li>
                  ) : (
                    <TriggerRow key={t.id} t={t} flowTitle={flowTitle(t.flow)} does={flowDoes(t.flow)} onEdit={() => setEditing(t)} />
                  ),
                )}
              </ul>
            ) : (
              <EmptyState icon="zap" title="No automations yet" />
            )
          }
        </QueryState>
      </Card>
    </Page>
  );
}
