/** Test leads (from "Send a test") are hidden from the list; the owner can show them or clear them all. */
import { errorMessage } from '../../api/errors.js';
import { useApiMutation, useApiQuery } from '../../api/queries.js';
import { Button } from '../../components/Button.js';
import { useToasts } from '../../components/Toasts.js';

export type TestLeadsShown = 'hide' | 'show' | 'only';

export function TestLeadsControl({ value, onChange }: { value: TestLeadsShown; onChange: (v: TestLeadsShown) => void }) {
  const count = useApiQuery('listLeads', { test_leads: 'only', limit: 1 }).data?.total ?? 0;
  const clear = useApiMutation('clearTestLeads', ['listLeads', 'getLead', 'getStats', 'listEvents', 'listRequests', 'listRuns']);
  const { push } = useToasts();
  return (
    <>
      <label className="inline-field">
        <span>Test leads</span>
        <select value={value} onChange={(e) => onChange(e.target.value as TestLeadsShown)}>
          <option value="hide">Hidden</option>
          <option value="show">Shown</option>
          <option value="only">Only test leads</option>
        </select>
      </label>
      {count > 0 && (
        <Button
          size="sm"
          busy={clear.isPending}
          onClick={() =>
            clear.mutate(
              {},
              {
                onSuccess: (r) =>
                  push({
                    tone: 'good',
                    title: `${r.cleared} test ${r.cleared === 1 ? 'lead' : 'leads'} cleared`,
                    ...(r.waiting > 0 && { body: `${r.waiting} still have automations running: clear again in a minute.` }),
                  }),
                onError: (e) => push({ tone: 'bad', title: 'Test leads not cleared', body: errorMessage(e) }),
              },
            )
          }
        >
          Clear {count} test {count === 1 ? 'lead' : 'leads'}
        </Button>
      )}
    </>
  );
}
