/**
 * A privacy request, answered from the lead's page: export everything held about the person
 * (JSON), or erase them here and in the connected apps, after a confirmation.
 */
import { useState } from 'react';
import type { MethodOutput } from '../../../../shared/api/contract.js';
import type { Lead } from '../../../../shared/api/models.js';
import { useApi } from '../../api/context.js';
import { errorMessage } from '../../api/errors.js';
import { useApiMutation, useApiQuery } from '../../api/queries.js';
import { Button } from '../../components/Button.js';
import { Card, Notice } from '../../components/Layout.js';
import { useToasts } from '../../components/Toasts.js';
import { downloadText } from '../../lib/download.js';
import { formatDateTime } from '../../lib/format.js';

const APP_NAMES: Record<string, string> = { loops: 'Loops', notion: 'Notion', meta: 'Meta audiences' };

/** Where an erasure stands, app by app. */
export function ErasureProgress({ result }: { result: MethodOutput<'eraseLead'> }) {
  const { backups } = result;
  // Followed until every app has answered (the calls go on in the background, across restarts).
  const latest = useApiQuery('listErasures', {}, { refetchInterval: (q) => (q.state.data?.items.find((e) => e.id === result.erasure.id)?.finished_at ? false : 2000) });
  const erasure = latest.data?.items.find((e) => e.id === result.erasure.id) ?? result.erasure;
  return (
    <div className="erasure-result" data-testid="erasure-result">
      <p>
        Erased from Leadbell: the lead, {erasure.removed.events} events, {erasure.removed.requests} stored requests, {erasure.removed.runs} automation runs and{' '}
        {erasure.removed.notes} notes.
      </p>
      {erasure.calls.length > 0 && (
        <ul>
          {erasure.calls.map((c) => (
            <li key={c.app}>
              {APP_NAMES[c.app] ?? c.app}: {c.status === 'done' ? 'erased' : c.status === 'waiting' ? 'being erased' : `not erased yet: ${c.last_error ?? 'it refused'}`}
            </li>
          ))}
        </ul>
      )}
      {backups.length > 0 && (
        <Notice tone="warn" title="Older backups still hold this person">
          {backups.map((b) => `${b.name} (${formatDateTime(b.made_at)})`).join(', ')} were made before the erasure. Delete them, or keep them safe until they expire.
        </Notice>
      )}
    </div>
  );
}

export function PrivacyCard({ lead, onErased }: { lead: Lead; onErased: (r: MethodOutput<'eraseLead'>) => void }) {
  const api = useApi();
  const { push } = useToasts();
  const [confirming, setConfirming] = useState(false);
  const [exporting, setExporting] = useState(false);
  const erase = useApiMutation('eraseLead', ['listLeads', 'getStats', 'listEvents', 'listRequests', 'listRuns']);
  const exportPerson = async () => {
    setExporting(true);
    try {
      const { filename, person } = await api.exportLead({ id: lead.id });
      downloadText(filename, JSON.stringify(person, null, 2), 'application/json');
      push({ tone: 'good', title: 'Everything held about them was exported', body: filename });
    } catch (e) {
      push({ tone: 'bad', title: 'Export failed', body: errorMessage(e) });
    } finally {
      setExporting(false);
    }
  };
  return (
    <Card title="Privacy" labelledBy="lead-privacy-title" subtitle="When someone asks what you hold about them, or asks you to delete it.">
      <div className="form-actions">
        <Button icon="download" busy={exporting} onClick={() => void exportPerson()}>
          Export everything (JSON)
        </Button>
        {!confirming && (
          <Button variant="danger" onClick={() => setConfirming(true)}>
            Erase this person
          </Button>
        )}
      </div>
      {confirming && (
        <Notice
          tone="bad"
          title={`Erase ${lead.email} for good?`}
          actions={
            <>
              <Button variant="danger" busy={erase.isPending} onClick={() => erase.mutate({ id: lead.id }, { onSuccess: onErased })}>
                Yes, erase everything
              </Button>
              <Button onClick={() => setConfirming(false)}>Cancel</Button>
            </>
          }
        >
          Their lead, events, stored requests, automation runs, notes and reminders are removed from this computer, and they are erased in Loops,
          Notion and your Meta audiences. This cannot be undone.
          {erase.error && <p className="field-error">{errorMessage(erase.error)}</p>}
        </Notice>
      )}
    </Card>
  );
}
