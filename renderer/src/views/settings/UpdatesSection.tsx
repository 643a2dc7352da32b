/** Settings → Updates (desktop): the channel, "Check now", and "Restart to update" once one is downloaded. */
import type { UpdateStatus } from '../../../../shared/api/models.js';
import type { Settings } from '../../../../shared/settings.js';
import { errorMessage } from '../../api/errors.js';
import { useApiMutation, useApiQuery } from '../../api/queries.js';
import { Button } from '../../components/Button.js';
import { Field } from '../../components/Form.js';
import { Card, Notice } from '../../components/Layout.js';

const STATE_WORDS: Record<UpdateStatus['state'], string> = {
  off: 'Not available here',
  idle: 'Not checked yet',
  checking: 'Checking…',
  up_to_date: 'Up to date',
  downloading: 'Downloading in the background…',
  ready: 'Ready to install',
  installing: 'Restarting to install…',
  error: 'Could not update',
};

export function UpdatesSection({ updates }: { updates: Settings['updates'] }) {
  const status = useApiQuery('getUpdates', {});
  const save = useApiMutation('updateSettings', ['getSettings', 'getUpdates']);
  const check = useApiMutation('checkForUpdates', ['getUpdates']);
  const restart = useApiMutation('restartToUpdate', ['getUpdates']);
  const s = status.data;
  if (!s) return null;
  return (
    <Card title="Updates" subtitle={`This is Leadbell ${s.current_version}.`} labelledBy="updates-title">
      {!s.available ? (
        <p className="muted">{s.message}</p>
      ) : (
        <div className="stack">
          <div className="form-grid">
            <Field label="Update channel" hint="Beta versions come first and may have rough edges.">
              {(p) => (
                <select {...p} value={updates.channel} onChange={(e) => save.mutate({ updates: { channel: e.target.value } })}>
                  <option value="stable">Stable</option>
                  <option value="beta">Beta</option>
                </select>
              )}
            </Field>
          </div>
          <p data-testid="update-state">
            <strong>{STATE_WORDS[s.state]}</strong>
            {s.checked_at && <span className="muted">{` · last checked ${new Date(s.checked_at).toLocaleString()}`}</span>}
          </p>
          {s.message && <Notice tone={s.state === 'error' ? 'bad' : 'info'}>{s.message}</Notice>}
          <div className="form-actions">
            {s.state === 'ready' && !s.waiting_for_work && (
              <Button variant="primary" busy={restart.isPending} onClick={() => restart.mutate({})}>
                {`Restart to update (${s.version})`}
              </Button>
            )}
            <Button icon="refresh" busy={check.isPending || s.state === 'checking'} onClick={() => check.mutate({})}>
              Check now
            </Button>
          </div>
          {(check.error ?? restart.error) && <Notice tone="bad">{errorMessage((check.error ?? restart.error)!)}</Notice>}
        </div>
      )}
    </Card>
  );
}
