/** Besides the bell: one message in the team channel when an app's calls are given up or its key is refused. */
import type { Settings } from '../../../../shared/settings.js';
import { useApiMutation } from '../../api/queries.js';
import { Field } from '../../components/Form.js';

const CHOICES: Record<Settings['app']['problem_message'], string> = {
  off: 'Only on this computer (the bell and Home)',
  slack: 'Also in Slack',
  discord: 'Also in Discord',
};

export function ProblemMessageField({ value }: { value: Settings['app']['problem_message'] }) {
  const save = useApiMutation('updateSettings', ['getSettings']);
  return (
    <Field label="When an app's calls fail for good" hint="One message per app each time it starts failing, sent through the other app (never through the one that fails).">
      {(p) => (
        <select {...p} value={value} onChange={(e) => save.mutate({ app: { problem_message: e.target.value } })}>
          {(Object.keys(CHOICES) as (keyof typeof CHOICES)[]).map((c) => (
            <option key={c} value={c}>
              {CHOICES[c]}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
