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
import { FlowSettings } from './FlowSettings.js';
import { ExportForPrefect, ImportFromPrefect } from './PrefectExchange.js';
import { TriggerEditor, toDraft } from './TriggerEditor.js';

function describe(t: Trigger): string {
  const words = t.expect.map((e, i) => (i === 0 ? eventWords(e) : eventWords(e).replace(/^./, (c) => c.toLowerCase())));
  const when = words.length ? words.join(' or ') : 'Anything arrives';
  const threshold = t.threshold ? `, ${t.threshold.count} times within ${Math.round(t.threshold.within_seconds / 3600)} h` : '';
  const delay = t.schedule_after_seconds ? `, after ${Math.round(t.schedule_after_seconds / 60)} min` : '';
  return `${when}${threshold}${delay}`;
}

function TriggerRow({ t, flowTitle, onEdit }: { t: Trigger; flowTitle: string; onEdit: () => void }) {
  const save = useApiMutation('saveTrigger', ['listTriggers']);
  const { push } = useToasts();
  return (
    <li className="trigger-row" data-testid="trigger-row">
      <Switch
        label={t.name}
        checked={t.enabled}
        disabled={save.isPending}
        description={`${describe(t)} → ${flowTitle}`}
        onChange={(enabled) =>
          save.mutate({ ...toDraft(t), enabled }, { onError: (e) => push({ tone: 'bad', title: 'Could not save', body: errorMessage(e) }) })
        }
      />
      <Button size="sm" onClick={onEdit}>
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
      {editing && !flows.isPending && (
        <TriggerEditor
          key={editing === 'new' ? 'new' : editing.id}
          initial={editing === 'new' ? null : editing}
          flows={flows.data?.items ?? []}
          onDone={() => setEditing(null)}
        />
      )}
      <Card title="When this happens, do that" labelledBy="triggers-title">
        <QueryState query={triggers} what="Automations">
          {(data) =>
            data.items.length ? (
              <ul className="trigger-list">
                {data.items.map((t) => (
                  <TriggerRow key={t.id} t={t} flowTitle={flowTitle(t.flow)} onEdit={() => setEditing(t)} />
                ))}
              </ul>
            ) : (
              <EmptyState icon="zap" title="No automations yet" />
            )
          }
        </QueryState>
      </Card>
      <QueryState query={flows} what="Automation settings">
        {(data) => <FlowSettings flows={data.items} />}
      </QueryState>
    </Page>
  );
}
