import { useState } from 'react';
import type { Settings } from '../../../../shared/settings.js';
import { useApiMutation } from '../../api/queries.js';
import { errorFor, errorMessage, fieldErrors } from '../../api/errors.js';
import { Button } from '../../components/Button.js';
import { Field, Switch } from '../../components/Form.js';
import { Card, Notice } from '../../components/Layout.js';
import { useToasts } from '../../components/Toasts.js';

const lines = (text: string) =>
  text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);

export function ReceivingSection({ receiver }: { receiver: Settings['receiver'] }) {
  const [paused, setPaused] = useState(receiver.paused);
  const [rate, setRate] = useState(String(receiver.rate_limit_per_minute));
  const [ips, setIps] = useState(receiver.allowed_ips.join('\n'));
  const [origins, setOrigins] = useState(receiver.allowed_origins.join('\n'));
  const [thanks, setThanks] = useState(receiver.thank_you_url ?? '');
  const save = useApiMutation('updateSettings', ['getSettings', 'getStatus']);
  const { push } = useToasts();
  const errors = fieldErrors(save.error, 'receiver.');
  const rateNumber = Number(rate);
  const rateError = rate.trim() === '' || !Number.isInteger(rateNumber) || rateNumber < 0 ? 'must be a whole number, 0 or more' : undefined;

  return (
    <Card title="Receiving" subtitle="Who may send to your webhook address, and how often." labelledBy="receiving-title">
      <form
        className="form-grid"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (rateError) return;
          save.mutate(
            {
              receiver: {
                paused,
                rate_limit_per_minute: rateNumber,
                allowed_ips: lines(ips),
                allowed_origins: lines(origins),
                thank_you_url: thanks.trim() || null,
              },
            },
            { onSuccess: () => push({ tone: 'good', title: 'Receiving settings saved' }) },
          );
        }}
      >
        {save.error && !Object.keys(errors).length && <Notice tone="bad">{errorMessage(save.error)}</Notice>}
        <div className="span-2">
          <Switch label="Pause receiving" checked={paused} onChange={setPaused} description="Senders are asked to try again later; nothing is lost." />
        </div>
        <Field label="Requests per minute, per sender" hint="0 means no limit. Protects you from floods and bots." error={rateError ?? errorFor(errors, 'rate_limit_per_minute')}>
          {(p) => <input {...p} type="number" min={0} value={rate} onChange={(e) => setRate(e.target.value)} />}
        </Field>
        <Field label="Thank-you page" hint="Where people land after submitting a plain HTML form. Leave empty for Leadbell's own page." error={errorFor(errors, 'thank_you_url')}>
          {(p) => <input {...p} type="url" placeholder="https://yoursite.com/thanks" value={thanks} onChange={(e) => setThanks(e.target.value)} />}
        </Field>
        <Field label="Only accept from these IP addresses" hint="One per line, e.g. 203.0.113.7 or 203.0.113.0/24. Empty: anyone." error={errorFor(errors, 'allowed_ips')}>
          {(p) => <textarea {...p} rows={3} className="code" value={ips} onChange={(e) => setIps(e.target.value)} />}
        </Field>
        <Field label="Websites allowed to send from a browser" hint="One per line, like https://yoursite.com, or * for any." error={errorFor(errors, 'allowed_origins')}>
          {(p) => <textarea {...p} rows={3} className="code" value={origins} onChange={(e) => setOrigins(e.target.value)} />}
        </Field>
        <div className="form-actions span-2">
          <Button type="submit" variant="primary" busy={save.isPending} disabled={Boolean(rateError)}>
            Save
          </Button>
        </div>
      </form>
    </Card>
  );
}
