// One live WebSocket of the console (events, alarms), kept open: when it drops it comes back
// after 1 s, then 2, 4 … up to 30 s, and tells the view so it can reload what it missed.

const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 30_000;

/** ws(s)://host/<path>; the session cookie goes along by itself. */
function liveURL(path) {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}${path}`;
}

/**
 * Follows the socket at `path`. Handlers: `onOpen()`; `onMessage(data)` with each JSON message;
 * `onDown(closeEvent)` when it drops — may answer a delay in ms to wait instead of the backoff;
 * `onReconnect()` when it is about to come back after having been open (reload the list then).
 * Answers `{ close() }`.
 */
export function followLive(path, { onOpen, onMessage, onDown, onReconnect }) {
  let socket = null;
  let retryTimer = null;
  let retryDelay = RETRY_FIRST_MS;
  let closed = false;

  function connect() {
    if (closed) return;
    clearTimeout(retryTimer);
    retryTimer = null;
    let opened = false;
    const current = new WebSocket(liveURL(path));
    socket = current;
    current.addEventListener('open', () => {
      opened = true;
      retryDelay = RETRY_FIRST_MS;
      onOpen?.();
    });
    current.addEventListener('message', (incoming) => {
      let data;
      try {
        data = JSON.parse(incoming.data);
      } catch {
        return;
      }
      if (data && typeof data === 'object') onMessage(data);
    });
    current.addEventListener('close', (event) => {
      if (socket !== current || closed) return;
      socket = null;
      const wait = onDown?.(event);
      retryTimer = setTimeout(() => {
        connect();
        if (opened) onReconnect?.();
      }, typeof wait === 'number' ? wait : retryDelay);
      if (typeof wait !== 'number') retryDelay = Math.min(RETRY_MAX_MS, retryDelay * 2);
    });
  }

  connect();
  return {
    close() {
      closed = true;
      clearTimeout(retryTimer);
      const current = socket;
      socket = null;
      current?.close();
    },
  };
}
