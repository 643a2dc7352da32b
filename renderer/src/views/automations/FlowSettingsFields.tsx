/** The chosen flow's settings as plain controls, inside the automation's own form. */
import { useId, useState } from 'react';
import type { FlowInfo } from '../../../../shared/api/models.js';
import { useApiQuery } from '../../api/queries.js';
import { Button } from '../../components/Button.js';
import { Field } from '../../components/Form.js';
import { SEGMENT_SUGGESTIONS } from '../../lib/labels.js';
import { ALERT_CHANNEL_WORDS, controlFor, type Route, type SettingControl, type SettingsDraft } from './flow-settings-form.js';

type Props = {
  flow: FlowInfo;
  draft: SettingsDraft;
  errors: Record<string, string>;
  loopsEvents: string[];
  onChange: (key: string, value: SettingsDraft[string]) => void;
};

const OTHER = '__other__';

function EventPicker({ label, value, options, error, onChange }: { label: string; value: string; options: string[]; error?: string; onChange: (v: string) => void }) {
  const listed = options.includes(value);
  const [typing, setTyping] = useState(!listed);
  return (
    <Field label={label} error={error}>
      {(p) => (
        <div className="event-picker">
          <select
            {...p}
            value={typing ? OTHER : value}
            onChange={(e) => {
              const other = e.target.value === OTHER;
              setTyping(other);
              onChange(other ? '' : e.target.value);
            }}
          >
            {options.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
            <option value={OTHER}>Another Loops event…</option>
          </select>
          {typing && (
            <input aria-label={`${label}: Loops event name`} value={value} placeholder="e.g. nurture_bakery" onChange={(e) => onChange(e.target.value)} />
          )}
        </div>
      )}
    </Field>
  );
}

function Routes({ routes, errors, options, onChange }: { routes: Route[]; errors: Record<string, string>; options: string[]; onChange: (r: Route[]) => void }) {
  const segments = useApiQuery('listSegments', {});
  const listId = useId();
  const seen = [...new Set([...(segments.data?.items.map((s) => s.segment) ?? []), ...SEGMENT_SUGGESTIONS.filter((s) => s !== 'general')])];
  const set = (i: number, r: Partial<Route>) => onChange(routes.map((x, j) => (j === i ? { ...x, ...r } : x)));
  return (
    <fieldset className="field span-2 routes">
      <legend>Follow-up emails by segment</legend>
      <datalist id={listId}>
        {seen.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      <ol className="route-rows">
        {routes.map((r, i) => (
          <li key={i} className="route-row" data-testid="segment-route">
            <Field label={`Segment ${i + 1}`} error={errors[`nurtures.${i}.segment`]}>
              {(p) => <input {...p} list={listId} value={r.segment} placeholder="e.g. beauty-salon" onChange={(e) => set(i, { segment: e.target.value })} />}
            </Field>
            <span className="route-arrow" aria-hidden="true">
              →
            </span>
            <EventPicker label={`Follow-up for segment ${i + 1}`} value={r.event} options={options} error={errors[`nurtures.${i}.event`]} onChange={(event) => set(i, { event })} />
            <Button size="sm" variant="ghost" icon="x" aria-label={`Remove segment ${i + 1}${r.segment ? ` (${r.segment})` : ''}`} onClick={() => onChange(routes.filter((_, j) => j !== i))}>
              Remove
            </Button>
          </li>
        ))}
      </ol>
      <Button size="sm" onClick={() => onChange([...routes, { segment: '', event: options[0] ?? '' }])}>
        Add a segment
      </Button>
    </fieldset>
  );
}

function Control({ k, c, value, error, loopsEvents, errors, onChange }: { k: string; c: SettingControl; value: SettingsDraft[string]; error?: string; loopsEvents: string[]; errors: Record<string, string>; onChange: (v: SettingsDraft[string]) => void }) {
  const id = useId();
  switch (c.kind) {
    case 'sentence':
      return (
        <div className={`field sentence span-2${error ? ' field-invalid' : ''}`} data-setting={k}>
          <p className="sentence-text">
            <label htmlFor={id}>{c.before}</label>{' '}
            <input
              id={id}
              type="number"
              inputMode="numeric"
              min={c.min}
              max={c.max}
              className="sentence-number"
              aria-label={`${c.before} … ${c.after}`.trim()}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : undefined}
              value={String(value)}
              onChange={(e) => onChange(e.target.value)}
            />{' '}
            <span>{c.after}</span>
          </p>
          {error && (
            <p className="field-error" id={`${id}-error`} role="alert">
              {error}
            </p>
          )}
        </div>
      );
    case 'color':
      return (
        <Field label={c.label} error={error}>
          {(p) => <input {...p} type="color" className="color-input" value={String(value)} onChange={(e) => onChange(e.target.value)} />}
        </Field>
      );
    case 'channels': {
      const chosen = value as string[];
      return (
        <fieldset className="field span-2">
          <legend>{c.label}</legend>
          <div className="checks">
            {Object.entries(ALERT_CHANNEL_WORDS).map(([ch, words]) => (
              <label key={ch} className="check">
                <input
                  type="checkbox"
                  checked={chosen.includes(ch)}
                  onChange={(e) => onChange(e.target.checked ? [...chosen, ch] : chosen.filter((x) => x !== ch))}
                />
                {words}
              </label>
            ))}
          </div>
          {chosen.length === 0 && <p className="field-hint">No alert at all: the lead is still scored and shown in Leads.</p>}
        </fieldset>
      );
    }
    case 'toggle':
      return (
        <label className="check span-2">
          <input type="checkbox" checked={Boolean(value)} onChange={(e) => onChange(e.target.checked)} />
          {c.label}
        </label>
      );
    case 'event':
      return <EventPicker label={c.label} value={String(value)} options={loopsEvents} error={error} onChange={onChange} />;
    case 'routes':
      return <Routes routes={value as Route[]} errors={errors} options={loopsEvents} onChange={onChange} />;
    case 'text':
      return (
        <Field label={c.label} hint={c.hint} error={error}>
          {(p) => <input {...p} value={String(value)} onChange={(e) => onChange(e.target.value)} />}
        </Field>
      );
    case 'template':
      return (
        <Field label={c.label} hint={c.hint} error={error} className="span-2">
          {(p) => <textarea {...p} rows={3} className="code" spellCheck={false} value={String(value)} onChange={(e) => onChange(e.target.value)} />}
        </Field>
      );
  }
}

/** Plain controls first; template text goes under "Advanced" with the trigger's own. */
export function FlowSettingsFields({ flow, draft, errors, loopsEvents, onChange, advanced }: Props & { advanced: boolean }) {
  const keys = Object.keys(draft).filter((k) => (controlFor(k, flow.defaults[k]).kind === 'template') === advanced);
  if (!keys.length) return null;
  return (
    <>
      {keys.map((k) => (
        <Control
          key={k}
          k={k}
          c={controlFor(k, flow.defaults[k])}
          value={draft[k]!}
          error={errors[k]}
          errors={errors}
          loopsEvents={loopsEvents}
          onChange={(v) => onChange(k, v)}
        />
      ))}
    </>
  );
}
