/** The big copyable address for sign-ups, and the others for quizzes, visits and email tools: public ones only. */
import type { EndpointListing, Status } from '../../../../shared/api/models.js';
import { Badge } from '../../components/Badge.js';
import { CopyField } from '../../components/CopyField.js';
import { Card } from '../../components/Layout.js';
import { OutsideAddress } from './OutsideAddress.js';

const PRIMARY = 'lead-optin';

export function WebhookAddresses({ endpoints, status }: { endpoints: EndpointListing[]; status: Status | undefined }) {
  const primary = endpoints.find((e) => e.name === PRIMARY) ?? endpoints[0];
  const others = endpoints.filter((e) => e !== primary && e.public_url);
  const isPublic = Boolean(primary?.public_url);
  return (
    <Card
      title="Your webhook address"
      labelledBy="webhook-address-title"
      subtitle={
        isPublic
          ? 'Paste this into your landing page, form tool or Zapier. Every sign-up sent here lands in Leadbell.'
          : 'Leadbell is receiving on this computer only: turn on a public address so your website and tools can send leads here.'
      }
      className="card-hero"
      actions={!isPublic && status ? <Badge tone="warn">This computer only</Badge> : <Badge tone="good">Public</Badge>}
    >
      {primary && (
        <div className="hero-address">
          <span className="hero-label">{primary.title}</span>
          <OutsideAddress url={primary.public_url} label={`Copy the ${primary.title} address`} big testId="primary-webhook-url" />
        </div>
      )}
      {others.length > 0 && (
        <details className="other-addresses">
          <summary>Addresses for quizzes, page visits and email tools</summary>
          <ul className="address-list">
            {others.map((e) => (
              <li key={e.name}>
                <div className="address-text">
                  <strong>{e.title}</strong>
                  <span className="muted small">{e.description}</span>
                </div>
                <CopyField value={e.public_url!} label={`Copy the ${e.title} address`} />
              </li>
            ))}
          </ul>
        </details>
      )}
    </Card>
  );
}
