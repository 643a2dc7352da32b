import type { Settings } from '../../../../shared/settings.js';
import { useApiMutation } from '../../api/queries.js';
import { THEME_WORDS, type ThemeChoice } from '../../app/theme.js';
import { Field, Switch } from '../../components/Form.js';
import { Card } from '../../components/Layout.js';
import { ProblemMessageField } from './ProblemMessageField.js';

export function AppSection({ app, desktop }: { app: Settings['app']; desktop: boolean }) {
  const save = useApiMutation('updateSettings', ['getSettings']);
  return (
    <Card title="App" labelledBy="app-title">
      <div className="form-grid">
        <Field label="Theme">
          {(p) => (
            <select {...p} value={app.theme} onChange={(e) => save.mutate({ app: { theme: e.target.value } })}>
              {(Object.keys(THEME_WORDS) as ThemeChoice[]).map((t) => (
                <option key={t} value={t}>
                  {THEME_WORDS[t]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <ProblemMessageField value={app.problem_message} />
        {desktop && (
          <Switch
            label="Start Leadbell when I log in"
            checked={app.launch_at_login}
            onChange={(v) => save.mutate({ app: { launch_at_login: v } })}
            description="So no lead is missed after a restart. It starts quietly in the tray."
          />
        )}
      </div>
    </Card>
  );
}
