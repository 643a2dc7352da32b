/** Makes the transport available to every view; views only ever see the ApiClient. */
import { createContext, useContext, type ReactNode } from 'react';
import type { ApiClient } from '../../../shared/api/contract.js';
import type { Transport } from './transport.js';

const TransportContext = createContext<Transport | null>(null);

export function TransportProvider({ transport, children }: { transport: Transport; children: ReactNode }) {
  return <TransportContext.Provider value={transport}>{children}</TransportContext.Provider>;
}

export function useTransport(): Transport {
  const t = useContext(TransportContext);
  if (!t) throw new Error('useTransport outside TransportProvider');
  return t;
}

export function useApi(): ApiClient {
  return useTransport().client;
}
