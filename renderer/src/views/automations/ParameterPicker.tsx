/** "Details passed to the automation" as rows: each detail the flow takes, picked from the event's fields. */
import type { FlowInfo } from '../../../../shared/api/models.js';
import { useApiQuery } from '../../api/queries.js';
import { humanize } from '../../lib/labels.js';
import { choiceOf, fieldsFor, templateFor } from './event-fields.js';

const NONE = '';
const CUSTOM = '__custom__';

/** Up to 20 stored events of the first chosen kind, for the fields real senders use. */
function useSeenPayloads(events: string[]): Record<string, unknown>[] {
  const first = events[0];
  const q = useApiQuery('listEvents', { limit: 20, offset: 0, ...(first && { event: first }) }, { enabled: Boolean(first) });
  return first ? (q.data?.items.map((e) => e.payload as Record<string, unknown>) ?? []) : [];
}

export function ParameterPicker({
  flow,
  events,
  parameters,
  error,
  onChange,
}: {
  flow: FlowInfo | undefined;
  events: string[];
  /** The parameters as the form holds them (null when the JSON under Advanced cannot be read). */
  parameters: Record<string, unknown> | null;
  error?: string;
  onChange: (next: Record<string, unknown>) => void;
}) {
  const seen = useSeenPayloads(events);
  if (!flow) return null;
  const names = [...new Set([...Object.keys(flow.usual.parameters), ...Object.keys(parameters ?? {})])];
  const fields = fieldsFor(events, seen);
  return (
    <fieldset className="field span-2 parameter-rows" aria-describedby={error ? 'parameter-rows-error' : undefined}>
      <legend>Details passed to the automation</legend>
      {parameters === null ? (
        <p className="field-hint">The details under Advanced are not in a form these lists can show: fix or reset them there.</p>
      ) : (
        <table className="kv-table">
          <caption className="sr-only">Where each detail comes from</caption>
          <thead>
            <tr>
              <th scope="col">Detail</th>
              <th scope="col">Taken from the event's field</th>
            </tr>
          </thead>
          <tbody>
            {names.map((n) => {
              const choice = choiceOf(parameters[n]);
              const value = choice.kind === 'field' ? choice.field : choice.kind === 'custom' ? CUSTOM : NONE;
              const options = choice.kind === 'field' && !fields.includes(choice.field) ? [...fields, choice.field] : fields;
              const required = flow.required_parameters.includes(n);
              return (
                <tr key={n}>
                  <th scope="row">
                    {humanize(n)}
                    {required && <span className="muted"> (needed)</span>}
                  </th>
                  <td>
                    <select
                      aria-label={`${humanize(n)}: taken from`}
                      value={value}
                      onChange={(e) => {
                        const v = e.target.value;
                        if (v === CUSTOM) return;
                        const next = { ...parameters };
                        if (v === NONE) delete next[n];
                        else next[n] = templateFor(v);
                        onChange(next);
                      }}
                    >
                      <option value={NONE}>Nothing</option>
                      {options.map((f) => (
                        <option key={f} value={f}>
                          {humanize(f)}
                        </option>
                      ))}
                      {choice.kind === 'custom' && <option value={CUSTOM}>Your own (see Advanced)</option>}
                    </select>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {error && (
        <p className="field-error" id="parameter-rows-error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}
