/** A view that throws while rendering shows a calm message instead of a blank window. */
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Button } from './Button.js';
import { Notice } from './Layout.js';

interface State {
  error: Error | null;
}

export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('view failed to render', error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <Notice
        tone="bad"
        title="This page ran into a problem"
        actions={
          <Button size="sm" icon="refresh" onClick={() => window.location.reload()}>
            Reload
          </Button>
        }
      >
        Your leads and settings are safe. Reload, or open another page from the menu. ({this.state.error.message})
      </Notice>
    );
  }
}
