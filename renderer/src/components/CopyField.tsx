/** A value with a copy button; says "Copied" to screen readers too. */
import { useEffect, useState } from 'react';
import { Icon } from './Icon.js';

async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Older webviews: fall back to a hidden textarea selection.
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
}

export function CopyButton({ value, label, size = 'md' }: { value: string; label: string; size?: 'sm' | 'md' | 'lg' }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(t);
  }, [copied]);
  return (
    <button
      type="button"
      className={`btn btn-${size === 'lg' ? 'primary' : 'secondary'} btn-${size} copy-btn`}
      aria-label={copied ? `${label}: copied` : label}
      onClick={() => void copyText(value).then(() => setCopied(true))}
    >
      <Icon name={copied ? 'check' : 'copy'} size={size === 'sm' ? 15 : 17} />
      <span aria-live="polite">{copied ? 'Copied' : 'Copy'}</span>
    </button>
  );
}

export function CopyField({ value, label, big, testId }: { value: string; label: string; big?: boolean; testId?: string }) {
  return (
    <div className={big ? 'copy-field copy-field-big' : 'copy-field'}>
      <code className="copy-value" data-testid={testId} title={value}>
        {value}
      </code>
      <CopyButton value={value} label={label} size={big ? 'lg' : 'sm'} />
    </div>
  );
}
