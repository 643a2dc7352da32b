/**
 * An address to paste into a form tool, Zapier or a website: only ever a public one. While there
 * is none, it says why and offers to set one up; an address on this computer (127.0.0.1) would
 * look right, be accepted by the tool, and never receive anything.
 */
import { Notice } from '../../components/Layout.js';
import { CopyField } from '../../components/CopyField.js';
import { href } from '../../lib/router.js';
import { sectionLink } from '../../lib/section-link.js';

export const PUBLIC_ADDRESS_LINK = sectionLink('/settings', 'tunnel-title');

export function NoPublicAddress({ forWhat = 'Your website and tools' }: { forWhat?: string }) {
  return (
    <Notice tone="warn" title="No public address yet">
      {forWhat} cannot reach this computer until Leadbell has a public address, so there is nothing to copy yet.{' '}
      <a href={href(PUBLIC_ADDRESS_LINK)}>Set up a public address</a>
    </Notice>
  );
}

export function OutsideAddress({ url, label, big, testId, forWhat }: { url: string | null; label: string; big?: boolean; testId?: string; forWhat?: string }) {
  return url ? <CopyField value={url} label={label} big={big} testId={testId} /> : <NoPublicAddress forWhat={forWhat} />;
}
