/** Adds a lead by hand (a walk-in, a phone call), checked as a sign-up form's is; automations only if asked. */
import { useState } from 'react';
import { ApiClientError, errorMessage } from '../../api/errors.js';
import { useApiMutation } from '../../api/queries.js';
import { Button } from '../../components/Button.js';
import { Field, Switch } from '../../components/Form.js';
import { Card } from '../../components/Layout.js';
import { useToasts } from '../../components/Toasts.js';
import { navigate } from '../../lib/router.js';

const FIELDS = [
  ['email', 'Email', 'email'],
  ['first_name', 'First name', 'text'],
  ['last_name', 'Last name', 'text'],
  ['phone', 'Phone', 'tel'],
  ['segment', 'Segment', 'text'],
  ['source', 'Came from', 'text'],
] as const;
type Key = (typeof FIELDS)[number][0];

export function AddLeadForm({ onClose }: { onClose: () => void }) {
  const [values, setValues] = useState<Partial<Record<Key, string>>>({});
  const [note, setNote] = useState('');
  const [runAutomations, setRunAutomations] = useState(false);
  const add = useApiMutation('addLead', ['listLeads', 'getStats']);
  const { push } = useToasts();
  const problems = add.error instanceof ApiClientError ? add.error.fields : [];
  const problem = (k: string) => problems.find((p) => p.path === k)?.message;
  return (
    <Card title="Add a lead" labelledBy="add-lead-title" subtitle="Someone who walked in or phoned: they join your leads like a sign-up.">
      <form
        className="profile-form"
        aria-labelledby="add-lead-title"
        onSubmit={(e) => {
          e.preventDefault();
          const given = Object.fromEntries(Object.entries(values).filter(([, v]) => v?.trim()));
          add.mutate(
            { email: '', ...given, run_automations: runAutomations, ...(note.trim() && { note: note.trim() }) },
            {
              onSuccess: ({ lead }) => {
                push({ tone: 'good', title: 'Lead added', body: lead.email });
                onClose();
                navigate(`/leads/${encodeURIComponent(lead.id)}`);
              },
            },
          );
        }}
      >
        {FIELDS.map(([key, label, type]) => (
          <Field key={key} label={key === 'email' ? `${label} (required)` : label} error={problem(key)}>
            {(p) => <input {...p} type={type} value={values[key] ?? ''} onChange={(e) => setValues({ ...values, [key]: e.target.value })} />}
          </Field>
        ))}
        <Field label="Note" className="wide">
          {(p) => <textarea {...p} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />}
        </Field>
        <div className="wide">
          <Switch
            label="Run the sign-up automations"
            checked={runAutomations}
            onChange={setRunAutomations}
            description={runAutomations ? 'They get the welcome email and join your audiences, as if they had filled in your form.' : 'Off: nothing is sent to them.'}
          />
        </div>
        {add.error && !problems.length && <p className="field-error">{errorMessage(add.error)}</p>}
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={add.isPending}>
            Add lead
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Card>
  );
}
