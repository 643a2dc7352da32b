/**
 * The real SDK and its native agent, loaded here as the app loads them. This machine reaches no
 * ngrok server, so opening fails; the failure must come back as the right status in words (a bad
 * authtoken if ngrok is somehow reachable, no network otherwise), with the token never repeated.
 */
import { expect, it } from 'vitest';
import { ngrokProvider } from '../../electron/core/tunnel/ngrok-provider.js';
import { loadNgrokSdk } from '../../electron/core/tunnel/ngrok-sdk.js';
import { TunnelOpenError } from '../../electron/core/tunnel/provider.js';

const TOKEN = '2fakeFAKEfake_NOTaREALtoken0123456789';

it('loads the native agent for this platform', async () => {
  const sdk = await loadNgrokSdk();
  expect(typeof sdk.SessionBuilder).toBe('function');
});

it('turns the real "no network" (or bad authtoken) failure into its status in words', async () => {
  const provider = ngrokProvider({ sdk: loadNgrokSdk, authtoken: () => TOKEN, version: '0.1.0' });
  const err = await provider
    .open({ port: 9, subdomain: 'bella-salon.ngrok-free.app', host: '', timeoutMs: 10_000, signal: new AbortController().signal })
    .then(
      (t) => {
        t.close();
        throw new Error('a tunnel opened with a made-up authtoken');
      },
      (e: unknown) => e,
    );
  expect(err).toBeInstanceOf(TunnelOpenError);
  const e = err as TunnelOpenError;
  expect(e.message).not.toContain(TOKEN);
  if (e.kind === 'unreachable') expect(e.message).toBe('cannot reach ngrok (is the computer offline?): failed to establish tcp connection');
  else expect(e).toMatchObject({ kind: 'refused', message: expect.stringMatching(/^ngrok did not accept the authtoken \(ERR_NGROK_10[57]\)/) });
});
