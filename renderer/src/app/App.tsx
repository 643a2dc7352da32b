/** Signed in (or on IPC): the app. Headless mode without a session: the login page. */
import { useApiQuery } from '../api/queries.js';
import { isUnauthorized } from '../api/errors.js';
import { QueryError } from '../components/QueryState.js';
import { Loading } from '../components/Layout.js';
import { LoginView } from './LoginView.js';
import { Shell } from './Shell.js';

export function App() {
  const status = useApiQuery('getStatus', {}, { refetchInterval: 30_000 });
  if (status.isPending) {
    return (
      <div className="splash">
        <Loading label="Starting Leadbell" />
      </div>
    );
  }
  if (status.isError && isUnauthorized(status.error)) return <LoginView />;
  if (status.isError && !status.data) {
    return (
      <div className="splash">
        <QueryError error={status.error} retry={() => void status.refetch()} />
      </div>
    );
  }
  return <Shell status={status.data!} />;
}
