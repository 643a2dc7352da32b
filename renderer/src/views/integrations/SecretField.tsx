/** A write-only secret: typed once, saved encrypted, then only ever shown as "saved". */
import { useState } from 'react';
import { useApiMutation } from '../../api/queries.js';
import { errorMessage, fieldErrors } from '../../api/errors.js';
import { Badge } from '../../components/Badge.js';
import { Button } from '../../components/Button.js';
import { Field } from '../../components/Form.js';
import { useToasts } from '../../components/Toasts.js';

export function SecretField({
  name,
  label,
  hint,
  state,
  onChanged,
  title = label,
}: {
  name: string;
  label: string;
  hint: string;
  /**
   * What the secret is called away from its field ("Discord webhook URL"): in the question before
   * removing it, and in the buttons' accessible names, since several cards each have a Replace and
   * a Remove. Defaults to the label.
   */
  title?: string;
  state: { set: boolean; from_env: boolean } | undefined;
  /** Called once a new value is saved or the secret is removed. */
  onChanged?: () => void;
}) {
  const [value, setValue] = useState('');
  const [editing, setEditing] = useState(false);
  const save = useApiMutation('setSecret', ['getSettings', 'listEndpoints']);
  const { push } = useToasts();
  const isSet = state?.set ?? false;
  const serverError = save.error ? (fieldErrors(save.error).value ?? errorMessage(save.error)) : undefined;

  if (state?.from_env) {
    return (
      <div className="secret-row">
        <span className="secret-label">{label}</span>
        <Badge tone="info">Set by an environment variable</Badge>
      </div>
    );
  }
  if (isSet && !editing) {
    return (
      <div className="secret-row" data-testid={`secret-${name}`}>
        <span className="secret-label">{label}</span>
        <span className="secret-mask" aria-label={`${title} is saved`}>
          ••••••••••
        </span>
        <Badge tone="good">Saved</Badge>
        <Button size="sm" onClick={() => setEditing(true)} aria-label={`Replace ${title}`}>
          Replace
        </Button>
        <Button
          size="sm"
          variant="ghost"
          busy={save.isPending}
          aria-label={`Remove ${title}`}
          onClick={() => {
            // A secret cannot be shown again: once removed, the only way back is pasting it anew.
            if (!window.confirm(`Remove the ${title}? It cannot be shown again: to use it later, paste it again.`)) return;
            save.mutate(
              { name, value: null },
              {
                onSuccess: () => {
                  onChanged?.();
                  push({ tone: 'info', title: `${title} removed` });
                },
              },
            );
          }}
        >
          Remove
        </Button>
      </div>
    );
  }
  return (
    <form
      className="secret-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!value.trim()) return;
        save.mutate(
          { name, value: value.trim() },
          {
            onSuccess: () => {
              setValue('');
              setEditing(false);
              onChanged?.();
              push({ tone: 'good', title: `${title} saved` });
            },
          },
        );
      }}
    >
      <Field label={label} hint={hint} error={serverError}>
        {(p) => (
          <input {...p} type="password" autoComplete="off" spellCheck={false} value={value} onChange={(e) => {
              setValue(e.target.value);
              // The refusal was about the previous value.
              if (save.error) save.reset();
            }} placeholder={isSet ? 'Paste a new value' : 'Not set'} />
        )}
      </Field>
      <div className="form-actions">
        <Button type="submit" variant="primary" size="sm" busy={save.isPending} disabled={!value.trim()} aria-label={`Save ${title}`}>
          Save
        </Button>
        {editing && (
          <Button size="sm" variant="ghost" onClick={() => setEditing(false)} aria-label={`Cancel replacing ${title}`}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
