import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { TransportProvider } from './api/context.js';
import { ApiClientError, isUnauthorized } from './api/errors.js';
import { detectTransport } from './api/transport.js';
import { App } from './app/App.js';
import { ToastProvider } from './components/Toasts.js';
import './styles/app.css';

const queryClient: QueryClient = new QueryClient({
  // A session that ended (headless mode restarted with a new token) sends the owner to the login page.
  queryCache: new QueryCache({
    onError: (error, query) => {
      if (isUnauthorized(error) && query.queryKey[0] !== 'getStatus') void queryClient.invalidateQueries({ queryKey: ['getStatus'] });
    },
  }),
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      // Answers that will not change by asking again (bad input, not signed in, not in this build) are not retried.
      retry: (count, error) => !(error instanceof ApiClientError && error.status >= 400 && error.status < 600 && error.code !== 'internal') && count < 2,
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <TransportProvider transport={detectTransport()}>
      <QueryClientProvider client={queryClient}>
        <ToastProvider>
          <App />
        </ToastProvider>
      </QueryClientProvider>
    </TransportProvider>
  </StrictMode>,
);
