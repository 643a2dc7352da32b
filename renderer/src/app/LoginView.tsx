/** Headless mode: nothing but this page until the browser has a session. */
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { errorMessage } from '../api/errors.js';
import { login } from '../api/http-client.js';
import { Button } from '../components/Button.js';
import { Field } from '../components/Form.js';
import { Icon } from '../components/Icon.js';
import { Notice } from '../components/Layout.js';

export function LoginView() {
  const qc = useQueryClient();
  const linkFailed = new URLSearchParams(window.location.search).get('login') === 'failed';
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(linkFailed ? 'That sign-in link was not right. Paste the access token instead.' : null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!token.trim()) {
      setError('Paste the access token first.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await login(token.trim());
      if (linkFailed) window.history.replaceState(null, '', '/');
      await qc.resetQueries();
    } catch (err) {
      setError(errorMessage(err) === 'that token is not right' ? 'That token is not right. Check it and try again.' : errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form className="login-card" onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
        <div className="brand brand-large">
          <span className="brand-mark">
            <Icon name="bell" size={26} />
          </span>
          <span>Leadbell</span>
        </div>
        <h1 id="login-title">Sign in</h1>
        <p className="muted">
          Open the link Leadbell printed when it started, or paste the access token from it here.
        </p>
        {error && <Notice tone="bad">{error}</Notice>}
        <Field label="Access token">
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="current-password"
              autoFocus
              value={token}
              onChange={(e) => setToken(e.target.value)}
            />
          )}
        </Field>
        <Button type="submit" variant="primary" size="lg" busy={busy}>
          Sign in
        </Button>
      </form>
    </main>
  );
}
