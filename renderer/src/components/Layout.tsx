/** Page scaffolding: a titled page, cards, and empty / loading states. */
import { useEffect, type ReactNode } from 'react';
import { Icon, type IconName } from './Icon.js';

export function Page({
  title,
  intro,
  actions,
  children,
  windowTitle,
}: {
  title: string;
  intro?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  /** The window / tab title when it should differ from the heading. */
  windowTitle?: string;
}) {
  useEffect(() => {
    document.title = `${windowTitle ?? title} · Leadbell`;
  }, [title, windowTitle]);
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1 tabIndex={-1} data-page-title>
            {title}
          </h1>
          {intro && <p className="page-intro">{intro}</p>}
        </div>
        {actions && <div className="page-actions">{actions}</div>}
      </header>
      {children}
    </div>
  );
}

export function Card({
  title,
  subtitle,
  actions,
  children,
  className,
  labelledBy,
}: {
  title?: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  labelledBy?: string;
}) {
  return (
    <section className={['card', className].filter(Boolean).join(' ')} aria-labelledby={labelledBy}>
      {(title || actions) && (
        <div className="card-header">
          <div>
            {title && <h2 id={labelledBy}>{title}</h2>}
            {subtitle && <p className="card-subtitle">{subtitle}</p>}
          </div>
          {actions && <div className="card-actions">{actions}</div>}
        </div>
      )}
      {children}
    </section>
  );
}

export function EmptyState({ icon = 'inbox', title, children }: { icon?: IconName; title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <div className="empty-icon">
        <Icon name={icon} size={28} />
      </div>
      <p className="empty-title">{title}</p>
      {children && <div className="empty-body">{children}</div>}
    </div>
  );
}

export function Loading({ label = 'Loading' }: { label?: string }) {
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      <span>{label}…</span>
    </div>
  );
}

export function Notice({ tone = 'info', title, children, actions }: { tone?: 'info' | 'warn' | 'bad' | 'good'; title?: string; children?: ReactNode; actions?: ReactNode }) {
  const icon: IconName = tone === 'good' ? 'check' : tone === 'info' ? 'bell' : 'alert';
  return (
    <div className={`notice notice-${tone}`} role={tone === 'bad' ? 'alert' : 'status'}>
      <Icon name={icon} />
      <div className="notice-text">
        {title && <strong>{title}</strong>}
        {children && <div>{children}</div>}
      </div>
      {actions && <div className="notice-actions">{actions}</div>}
    </div>
  );
}
