/** Keeps every view current: live updates invalidate cached answers; alerts become toasts. */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { Notification } from '../../../shared/api/models.js';
import { useTransport } from '../api/context.js';
import { createInvalidator } from '../api/queries.js';
import { useToasts, type Toast } from '../components/Toasts.js';
import { navigate } from '../lib/router.js';

function toastFor(n: Notification): Omit<Toast, 'id'> & { id: string } {
  const openLead = n.lead_id ? { label: 'Open lead', run: () => navigate(`/leads/${encodeURIComponent(n.lead_id!)}`) } : undefined;
  switch (n.kind) {
    case 'hot_lead':
      return { id: n.id, tone: 'hot', title: n.title, body: n.body, action: openLead, ttl: 20_000 };
    case 'high_engagement':
      return { id: n.id, tone: 'info', title: n.title, body: n.body, action: openLead, ttl: 12_000 };
    case 'reminder':
      return { id: n.id, tone: 'hot', title: n.title, body: n.body, action: openLead, ttl: 60_000 };
    case 'tunnel_url_changed':
      return { id: n.id, tone: 'bad', title: n.title, body: n.body, action: { label: 'See the new address', run: () => navigate('/') }, ttl: 30_000 };
    default:
      return { id: n.id, tone: 'info', title: n.title, body: n.body, action: openLead };
  }
}

export function useLiveUpdates(): void {
  const transport = useTransport();
  const qc = useQueryClient();
  const { push } = useToasts();
  useEffect(() => {
    const invalidator = createInvalidator(qc);
    const unsubscribe = transport.live.subscribe(
      (u) => {
        invalidator.topic(u.topic);
        if (u.notification) push(toastFor(u.notification));
      },
      () => invalidator.all(),
    );
    const stopNavigate = transport.onNavigate((route) => navigate(route));
    return () => {
      unsubscribe();
      stopNavigate();
      invalidator.dispose();
    };
  }, [transport, qc, push]);
}
