/** Settings → Alerts: which events ring, sound, and quiet hours. The core applies them to every bell. */
import { useState } from 'react';
import { ALERT_EVENTS, type AlertEvent } from '../../../../shared/alerts.js';
import type { Settings } from '../../../../shared/settings.js';
import { errorFor, errorMessage, fieldErrors } from '../../api/errors.js';
import { useApiMutation } from '../../api/queries.js';
import { Button } from '../../components/Button.js';
import { Field, Switch } from '../../components/Form.js';
import { Card, Notice } from '../../components/Layout.js';
import { useToasts } from '../../components/Toasts.js';

export function AlertsSection({ alerts }: { alerts: Settings['alerts'] }) {
  const save = useApiMutation('updateSettings', ['getSettings']);
  const { push } = useToasts();
  const [from, setFrom] = useState(alerts.quiet_from);
  const [until, setUntil] = useState(alerts.quiet_until);
  const errors = fieldErrors(save.error, 'alerts.');
  const ring = (event: AlertEvent, on: boolean) =>
    save.mutate({ alerts: { ring: (Object.keys(ALERT_EVENTS) as AlertEvent[]).filter((e) => (e === event ? on : alerts.ring.includes(e))) } });

  return (
    <Card
      title="Alerts"
      subtitle="Which events ring the bell on this computer. Every alert is still listed in Leadbell, whatever you choose here."
      labelledBy="alerts-title"
    >
      {save.error && !Object.keys(errors).length && <Notice tone="bad">{errorMessage(save.error)}</Notice>}
      <fieldset className="choices">
        <legend>Ring the bell for</legend>
        {(Object.entries(ALERT_EVENTS) as [AlertEvent, string][]).map(([event, words]) => (
          <Switch key={event} label={words} checked={alerts.ring.includes(event)} onChange={(on) => ring(event, on)} />
        ))}
      </fieldset>
      <Switch label="Play a sound" checked={alerts.sound} onChange={(sound) => save.mutate({ alerts: { sound } })} />
      <Switch
        label="Quiet hours"
        checked={alerts.quiet_hours}
        onChange={(quiet_hours) => save.mutate({ alerts: { quiet_hours } })}
        description="No banner and no sound between these times. When they end, one alert sums up what came in."
      />
      <form
        className="form-grid"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ alerts: { quiet_from: from, quiet_until: until } }, { onSuccess: () => push({ tone: 'good', title: 'Quiet hours saved' }) });
        }}
      >
        <Field label="Quiet from" hint="This computer's time, 24-hour clock." error={errorFor(errors, 'quiet_from')}>
          {(p) => <input {...p} type="time" value={from} onChange={(e) => setFrom(e.target.value)} />}
        </Field>
        <Field label="Quiet until" error={errorFor(errors, 'quiet_until')}>
          {(p) => <input {...p} type="time" value={until} onChange={(e) => setUntil(e.target.value)} />}
        </Field>
        <div className="form-actions span-2">
          <Button type="submit" variant="primary" busy={save.isPending}>
            Save quiet hours
          </Button>
        </div>
      </form>
    </Card>
  );
}
