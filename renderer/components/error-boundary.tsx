import { Component, type ErrorInfo, type ReactNode } from 'react';

export interface ErrorBoundaryProps {
  /** What failed, in words ("the instance list"), for the message. */
  readonly what: string;
  /** When this changes (a new list arrives), the boundary tries again. */
  readonly resetKey?: unknown;
  readonly children: ReactNode;
}

interface State {
  readonly error?: Error;
  readonly resetKey?: unknown;
}

/**
 * Keeps one part of the window from taking the rest down (issue 12, V5): a row
 * a gateway made unrenderable leaves the toolbar, the banner and Settings
 * working, with a message saying what broke. React only catches render errors
 * in a class component's `getDerivedStateFromError`.
 */
export class ErrorBoundary extends Component<ErrorBoundaryProps, State> {
  override state: State = { resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(props: ErrorBoundaryProps, state: State): Partial<State> | null {
    // New data may render fine: clear the error when the key moves on.
    return Object.is(props.resetKey, state.resetKey) ? null : { error: undefined, resetKey: props.resetKey };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error(`Claw Instances could not show ${this.props.what}`, error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="empty render-error" role="alert">
        <h2>Couldn't show {this.props.what}</h2>
        <p>Something in the data from the gateway could not be displayed ({error.message.slice(0, 200)}). The rest of the window still works; it tries again when the next update arrives.</p>
        <button type="button" onClick={() => this.setState({ error: undefined })}>
          Try again
        </button>
      </div>
    );
  }
}
