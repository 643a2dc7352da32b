/** Adds a note to the lead; notes show on its timeline with everything else. */
import { useState } from 'react';
import { errorMessage } from '../../api/errors.js';
import { useApiMutation } from '../../api/queries.js';
import { Button } from '../../components/Button.js';
import { Field } from '../../components/Form.js';
import { Card } from '../../components/Layout.js';

export function NotesCard({ leadId, children }: { leadId: string; children?: React.ReactNode }) {
  const [text, setText] = useState('');
  const add = useApiMutation('addLeadNote', ['getLead']);
  return (
    <Card title="Notes and reminders" labelledBy="lead-notes-title">
      <form
        className="note-form"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate({ id: leadId, text }, { onSuccess: () => setText('') });
        }}
      >
        <Field label="Add a note" error={add.error ? errorMessage(add.error) : undefined}>
          {(p) => <textarea {...p} rows={2} value={text} onChange={(e) => setText(e.target.value)} placeholder="Called them, booked for Thursday" />}
        </Field>
        <Button type="submit" icon="plus" busy={add.isPending} disabled={!text.trim()}>
          Add note
        </Button>
      </form>
      {children}
    </Card>
  );
}
