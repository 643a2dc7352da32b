/** "3 requests from a new sender are waiting": shown on Home and in Events until the owner maps each sender. */
import { useApiQuery } from '../../api/queries.js';
import { Notice } from '../../components/Layout.js';
import { href } from '../../lib/router.js';
import { mapPath } from './map-path.js';

export function HeldNotice() {
  const held = useApiQuery('listHeldSenders', {});
  const groups = held.data?.items ?? [];
  if (!groups.length) return null;
  return (
    <>
      {groups.map((g) => (
        <Notice
          key={`${g.endpoint}/${g.shape}`}
          tone="warn"
          title={`${g.count === 1 ? '1 request' : `${g.count} requests`} from a new sender ${g.count === 1 ? 'is' : 'are'} waiting: show Leadbell which field is the email`}
          actions={
            <a className="btn btn-primary btn-sm" href={href(mapPath(g.endpoint, g.shape))}>
              Show Leadbell
            </a>
          }
        >
          They were kept safely and the sender was told they arrived. Once you show Leadbell where the email is, they go through your
          automations, oldest first.
        </Notice>
      ))}
    </>
  );
}
