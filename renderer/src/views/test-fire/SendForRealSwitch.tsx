/** A test makes a test lead that reaches no connected app, unless the owner chooses to send it for real. */
import { Switch } from '../../components/Form.js';

export function SendForRealSwitch({ checked, onChange }: { checked: boolean; onChange: (next: boolean) => void }) {
  return (
    <Switch
      label="Send for real to connected apps"
      checked={checked}
      onChange={onChange}
      description={
        checked
          ? 'Your apps get this test: emails are sent, audiences and Notion are updated.'
          : 'Off: the test lead is kept apart and nothing is sent to your apps.'
      }
    />
  );
}
