/**
 * In-app alerts: hot leads and other notices pop up in a corner. Alerts are announced to screen
 * readers at once (role="alert"); ordinary notices politely.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Icon, type IconName } from './Icon.js';

export interface Toast {
  id: string;
  tone: 'hot' | 'good' | 'bad' | 'info';
  title: string;
  body?: string;
  action?: { label: string; run: () => void };
  /** Milliseconds on screen; alerts about hot leads stay longer. */
  ttl?: number;
}

interface ToastApi {
  push(t: Omit<Toast, 'id'> & { id?: string }): void;
  dismiss(id: string): void;
}

const ToastContext = createContext<ToastApi | null>(null);

export function useToasts(): ToastApi {
  const t = useContext(ToastContext);
  if (!t) throw new Error('useToasts outside ToastProvider');
  return t;
}

const ICONS: Record<Toast['tone'], IconName> = { hot: 'flame', good: 'check', bad: 'alert', info: 'bell' };

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: () => void }) {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const start = useCallback(() => {
    timer.current = setTimeout(onDismiss, toast.ttl ?? 6000);
  }, [onDismiss, toast.ttl]);
  const stop = () => {
    if (timer.current) clearTimeout(timer.current);
  };
  useEffect(() => {
    start();
    return stop;
  }, [start]);
  const urgent = toast.tone === 'hot' || toast.tone === 'bad';
  return (
    <div
      className={`toast toast-${toast.tone}`}
      role={urgent ? 'alert' : 'status'}
      data-testid={`toast-${toast.tone}`}
      onMouseEnter={stop}
      onMouseLeave={start}
      onFocus={stop}
      onBlur={start}
    >
      <span className="toast-icon">
        <Icon name={ICONS[toast.tone]} />
      </span>
      <div className="toast-text">
        <strong>{toast.title}</strong>
        {toast.body && <span>{toast.body}</span>}
        {toast.action && (
          <button
            type="button"
            className="link-button"
            onClick={() => {
              toast.action!.run();
              onDismiss();
            }}
          >
            {toast.action.label}
          </button>
        )}
      </div>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismiss}>
        <Icon name="x" size={16} />
      </button>
    </div>
  );
}

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: string) => setToasts((ts) => ts.filter((t) => t.id !== id)), []);
  const api = useMemo<ToastApi>(
    () => ({
      push: (t) => {
        const id = t.id ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;
        // Newest on top, the same notice never twice, at most five on screen.
        setToasts((ts) => [{ ...t, id }, ...ts.filter((x) => x.id !== id)].slice(0, 5));
      },
      dismiss,
    }),
    [dismiss],
  );
  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="toast-region" role="region" aria-label="Alerts">
        {toasts.map((t) => (
          <ToastItem key={t.id} toast={t} onDismiss={() => dismiss(t.id)} />
        ))}
      </div>
    </ToastContext.Provider>
  );
}
