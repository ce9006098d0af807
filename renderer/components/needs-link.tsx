/**
 * What the browser shell shows without a session: the socket is refused, and
 * only the link `serve` printed (with its one-time token) gets one.
 */
export function NeedsLink() {
  return (
    <div className="app">
      <div className="empty" role="alert">
        <h2>Open the link printed when serve started</h2>
        <p>
          For your safety this page needs the one-time link from the terminal where <code>npm run serve</code> is running
          (<code>http://127.0.0.1:…/?token=…</code>). Each link works once; restart serve for a new one.
        </p>
      </div>
    </div>
  );
}
