/** "Remind me" about this lead at a date and time: the bell rings then (or when Leadbell is back, if it was off). */
import { useState } from 'react';
import type { Reminder } from '../../../../shared/api/models.js';
import { errorMessage } from '../../api/errors.js';
import { useApiMutation } from '../../api/queries.js';
import { Button } from '../../components/Button.js';
import { formatDateTime } from '../../lib/format.js';

/** A datetime-local value (the owner's own clock) as an ISO time with their offset. */
export function localToIso(value: string): string {
  return new Date(value).toISOString();
}

export function RemindersPanel({ leadId, reminders }: { leadId: string; reminders: Reminder[] }) {
  const [at, setAt] = useState('');
  const [text, setText] = useState('');
  const add = useApiMutation('addReminder', ['getLead']);
  const remove = useApiMutation('deleteReminder', ['getLead']);
  const waiting = reminders.filter((r) => !r.rang_at);
  return (
    <div className="reminders">
      <form
        className="inline-form"
        aria-label="Remind me"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate({ id: leadId, at: localToIso(at), ...(text.trim() && { text: text.trim() }) }, { onSuccess: () => (setAt(''), setText('')) });
        }}
      >
        <label className="inline-field">
          <span>Remind me on</span>
          <input type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} required />
        </label>
        <label className="inline-field">
          <span>About</span>
          <input value={text} onChange={(e) => setText(e.target.value)} placeholder="Follow up" />
        </label>
        <Button type="submit" icon="bell" busy={add.isPending} disabled={!at}>
          Remind me
        </Button>
      </form>
      {add.error && <p className="field-error">{errorMessage(add.error)}</p>}
      {waiting.length > 0 && (
        <ul className="reminder-list" aria-label="Reminders">
          {waiting.map((r) => (
            <li key={r.id}>
              <span>
                <strong>{formatDateTime(r.due_at)}</strong> {r.text}
              </span>
              <Button size="sm" variant="ghost" onClick={() => remove.mutate({ id: r.id })} aria-label={`Cancel the reminder of ${formatDateTime(r.due_at)}`}>
                Cancel
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
