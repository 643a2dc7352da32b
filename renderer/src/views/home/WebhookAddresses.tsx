/** The big copyable address for sign-ups, and the others for quizzes, visits and email tools. */
import type { EndpointListing, Status } from '../../../../shared/api/models.js';
import { Badge } from '../../components/Badge.js';
import { CopyField } from '../../components/CopyField.js';
import { Card } from '../../components/Layout.js';

const PRIMARY = 'lead-optin';

function addressOf(e: EndpointListing): string {
  return e.public_url ?? e.local_url;
}

export function WebhookAddresses({ endpoints, status }: { endpoints: EndpointListing[]; status: Status | undefined }) {
  const primary = endpoints.find((e) => e.name === PRIMARY) ?? endpoints[0];
  const others = endpoints.filter((e) => e !== primary);
  const isPublic = Boolean(primary?.public_url);
  return (
    <Card
      title="Your webhook address"
      labelledBy="webhook-address-title"
      subtitle={
        isPublic
          ? 'Paste this into your landing page, form tool or Zapier. Every sign-up sent here lands in Leadbell.'
          : 'This address works on this computer only. Turn on the public address in Settings so your website and tools can reach it.'
      }
      className="card-hero"
      actions={!isPublic && status ? <Badge tone="warn">This computer only</Badge> : <Badge tone="good">Public</Badge>}
    >
      {primary && (
        <div className="hero-address">
          <span className="hero-label">{primary.title}</span>
          <CopyField value={addressOf(primary)} label={`Copy the ${primary.title} address`} big testId="primary-webhook-url" />
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
                <CopyField value={addressOf(e)} label={`Copy the ${e.title} address`} />
              </li>
            ))}
          </ul>
        </details>
      )}
    </Card>
  );
}
