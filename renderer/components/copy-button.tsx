import { useState } from 'react';

/** Copies `text` and says whether it worked; its click never selects the row it sits in. */
export function CopyButton({ text, label = 'Copy', title, small = true }: { text: string; label?: string; title?: string; small?: boolean }) {
  const [state, setState] = useState<'idle' | 'done' | 'failed'>('idle');
  return (
    <>
      <button
        type="button"
        className={small ? 'copy' : undefined}
        title={title ?? `Copy “${text}”`}
        onClick={(event) => {
          event.stopPropagation();
          navigator.clipboard.writeText(text).then(
            () => setState('done'),
            () => setState('failed'),
          );
        }}
        onKeyDown={(event) => event.stopPropagation()}
      >
        {label}
      </button>
      <span role="status" className="copy-status">
        {state === 'done' ? 'Copied.' : state === 'failed' ? 'Could not copy: the clipboard is not available here.' : ''}
      </span>
    </>
  );
}

/** The exact command that approves a waiting node, and a button to copy it. */
export function ApprovalCommand({ requestId }: { requestId?: string }) {
  if (!requestId) {
    return (
      <span className="approval-command">
        <code>openclaw nodes pending</code> lists the request to approve.
      </span>
    );
  }
  const command = `openclaw nodes approve ${requestId}`;
  return (
    <span className="approval-command">
      <code>{command}</code> <CopyButton text={command} title="Copy the approve command" />
    </span>
  );
}
