import { Component, type ReactNode } from 'react';
import { ErrorState } from './StatusMessage.js';

export interface PacsErrorBoundaryProps {
  children?: ReactNode;
}

interface PacsErrorBoundaryState {
  error: unknown;
}

/**
 * Catches a render failure below it (e.g. the lazily loaded viewer chunk failing to download) and
 * shows the error state with a retry that renders the children again.
 */
export class PacsErrorBoundary extends Component<PacsErrorBoundaryProps, PacsErrorBoundaryState> {
  override state: PacsErrorBoundaryState = { error: undefined };

  static getDerivedStateFromError(error: unknown): PacsErrorBoundaryState {
    return { error: error ?? new Error('unknown') };
  }

  override render() {
    if (this.state.error !== undefined) {
      return <ErrorState error={this.state.error} onRetry={() => this.setState({ error: undefined })} />;
    }
    return this.props.children;
  }
}
