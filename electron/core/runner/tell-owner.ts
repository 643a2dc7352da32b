/**
 * Telling the owner that an app's calls are given up or wait for a new key: once per app per
 * failure episode (AppHealthStore.tellOnce), as a desktop notification (the bell) and, when the
 * owner chose it, one message in the team channel through another app.
 */
import { appFailureWords, type CallFailure } from '../../../shared/failure-words.js';
import { INTEGRATIONS, type IntegrationName } from '../../../shared/integrations/index.js';
import type { NewNotification } from '../notify/notifier.js';

export interface AppProblem {
  integration: IntegrationName;
  failure: CallFailure;
  /** What the calls were: "welcome emails". */
  what: string;
  /** The lane waits for a new key (rather than a call given up). */
  keyRefused: boolean;
}

export function problemNotice(p: AppProblem): NewNotification {
  const app = INTEGRATIONS[p.integration].label;
  const words = appFailureWords(p.integration, p.failure);
  return p.keyRefused
    ? {
        kind: 'app_problem',
        title: words,
        body: `${capitalise(p.what)} to ${app} wait until you save a new key in Connected apps; they go out as soon as you do.`,
        lead_id: null,
      }
    : {
        kind: 'app_problem',
        title: `${capitalise(p.what)} could not be sent: ${words}`,
        body:
          p.failure.kind === 'refused'
            ? `${app} will not take them as they are. Open Home to see them, and retry them all once the cause is fixed.`
            : 'Leadbell kept trying for about a day. Open Home to see them and retry them all.',
        lead_id: null,
      };
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
