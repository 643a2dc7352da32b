/**
 * "Retry all" for one app's failed calls (Home's banner, Run history): says what it did, or, while
 * the app still refuses its key, that it changed nothing and why.
 */
import { errorMessage } from '../api/errors.js';
import { useApiMutation } from '../api/queries.js';
import { Button } from './Button.js';
import { useToasts } from './Toasts.js';

export function RetryAppButton({ integration, appLabel, label = 'Retry all' }: { integration: string; appLabel: string; label?: string }) {
  const retry = useApiMutation('retryAppFailures', ['listAppHealth', 'listRuns', 'getRun', 'getStats']);
  const { push } = useToasts();
  return (
    <Button
      size="sm"
      icon="refresh"
      busy={retry.isPending}
      aria-label={`${label}: ${appLabel}`}
      onClick={() =>
        retry.mutate(
          { name: integration },
          {
            onSuccess: (r) => push({ tone: 'good', title: r.message }),
            onError: (e) => push({ tone: 'bad', title: 'Nothing was retried', body: errorMessage(e) }),
          },
        )
      }
    >
      {label}
    </Button>
  );
}
