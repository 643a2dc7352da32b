import type { ReactNode } from 'react';
import type { Lead } from '../../../shared/api/models.js';
import { LEAD_STATUS_TONE, LEAD_STATUS_WORDS, type Tone } from '../lib/labels.js';
import { Icon } from './Icon.js';

export function Badge({ tone = 'neutral', children, title }: { tone?: Tone; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

export function LeadStatusBadge({ status }: { status: Lead['status'] }) {
  return (
    <Badge tone={LEAD_STATUS_TONE[status]}>
      {status === 'hot' && <Icon name="flame" size={13} />}
      {LEAD_STATUS_WORDS[status]}
    </Badge>
  );
}
