// Live video of one camera in one <video>: the WebSocket GET /api/cameras/:id/live sends a text
// `{"type":"init","codec":"avc1.…"}`, then binary messages (the MP4 initialisation segment, then
// media fragments) that go, in order, into a Media Source Extensions SourceBuffer. A new `init`
// mid-stream means the camera's stream restarted: the MediaSource is built anew.
//
// Latency stays low by jumping to the live edge whenever more than MAX_LATENCY seconds are
// buffered ahead, and memory stays flat by removing what is older than KEEP_SECONDS. A lost
// connection is retried with backoff; `stop()` closes the socket at once (the server audit-logs
// every live view from start to end, so no viewer may linger).

const MAX_LATENCY = 1.5;
const TARGET_LATENCY = 0.3;
const KEEP_SECONDS = 30;
const MAX_QUEUE = 200;
const SILENCE_MS = 10_000;
const RETRY_FIRST_MS = 2_000;
const RETRY_MAX_MS = 30_000;
const OPEN_TIMEOUT_MS = 5_000;
const POLICY_TEXT = '서버의 보안 정책(CSP)이 blob: 영상을 막습니다 (media-src blob: 필요) · '
  + "The server's Content-Security-Policy blocks blob: video (it needs media-src blob:)";

/** Set when the page's CSP refused a blob: media URL; it cannot change until a reload. */
let blockedByPolicy = false;
document.addEventListener('securitypolicyviolation', (event) => {
  const directive = event.effectiveDirective || event.violatedDirective || '';
  if (String(event.blockedURI).startsWith('blob') && /media-src|default-src/.test(directive)) blockedByPolicy = true;
});

/** ws(s)://host/api/cameras/ID/live; the session cookie goes along by itself. */
export function liveURL(cameraId) {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/api/cameras/${encodeURIComponent(cameraId)}/live`;
}

/**
 * The codec string MSE wants ("avc1.64001f") read from an initialisation segment's `avcC`
 * box, for when the server could not name it. Null when there is none.
 */
export function codecFromInitialization(buffer) {
  const bytes = new Uint8Array(buffer);
  for (let i = 4; i + 8 < bytes.length; i += 1) {
    if (bytes[i] === 0x61 && bytes[i + 1] === 0x76 && bytes[i + 2] === 0x63 && bytes[i + 3] === 0x43) { // "avcC"
      const hex = (value) => value.toString(16).padStart(2, '0');
      return `avc1.${hex(bytes[i + 5])}${hex(bytes[i + 6])}${hex(bytes[i + 7])}`;
    }
  }
  return null;
}

export class LivePlayer {
  /**
   * `onState(state, text)`: state is 'connecting', 'playing' or 'error' (text says why).
   * `diagnose()`: after a failed or lost connection, resolves to `{text, delayMs?}` explaining
   * it (the browser never shows a WebSocket handshake's HTTP status, e.g. 409 or 403).
   */
  constructor(video, cameraId, { onState, onMasked, diagnose } = {}) {
    this.video = video;
    this.cameraId = cameraId;
    this.onState = onState || (() => {});
    this.onMasked = onMasked || (() => {});
    this.diagnose = diagnose || (async () => ({ text: '연결 끊김 · Connection lost' }));
    this.socket = null;
    this.media = null; // { source, buffer, url, type }
    this.queue = [];
    this.codec = null;
    this.awaitingCodec = false;
    this.stopped = true;
    this.retryTimer = null;
    this.silenceTimer = null;
    this.failures = 0;
    this.state = null;
    this.lastData = 0;
    this.pump = () => this.#pump();
    video.muted = true;
    video.autoplay = true;
    video.playsInline = true;
    video.setAttribute('playsinline', '');
    video.addEventListener('error', () => {
      if (this.stopped || !this.media) return;
      this.#mediaFailed(`영상 오류 · Video error (${video.error?.code ?? '?'} ${video.error?.message ?? ''})`.trim());
    });
    video.addEventListener('playing', () => {
      if (this.stopped || !this.media) return;
      this.failures = 0;
      this.#setState('playing');
    });
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    this.#connect();
  }

  /** Closes the socket and frees the media; nothing is retried afterwards. */
  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.silenceTimer);
    this.retryTimer = null;
    this.silenceTimer = null;
    this.#closeSocket();
    this.#teardownMedia();
    this.state = null;
  }

  #setState(state, text = '') {
    if (this.state === state && this.stateText === text) return;
    this.state = state;
    this.stateText = text;
    this.onState(state, text);
  }

  #connect() {
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (blockedByPolicy) {
      // Opening the socket would only log a live view that nobody can see.
      this.#setState('error', POLICY_TEXT);
      return;
    }
    this.#setState('connecting', '연결 중… Connecting…');
    let socket;
    try {
      socket = new WebSocket(liveURL(this.cameraId));
    } catch (error) {
      this.#lost(error);
      return;
    }
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    this.serverError = null;
    this.lastData = Date.now();
    socket.addEventListener('message', (event) => {
      if (socket !== this.socket) return;
      if (typeof event.data === 'string') this.#text(event.data);
      else this.#binary(event.data);
    });
    socket.addEventListener('close', (event) => {
      if (socket !== this.socket) return;
      this.socket = null;
      this.#lost(event);
    });
    clearInterval(this.silenceTimer);
    this.silenceTimer = setInterval(() => this.#watch(), 1_000);
  }

  #closeSocket() {
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState <= WebSocket.OPEN) {
      try {
        socket.close(1000, 'viewer closed');
      } catch {
        // Already closing.
      }
    }
  }

  #text(data) {
    let header;
    try {
      header = JSON.parse(data);
    } catch {
      return;
    }
    if (header?.type === 'error') {
      // A server may refuse after the upgrade, where the browser lets us read why.
      this.serverError = { text: String(header.reason || 'error'), status: Number(header.status) || 0 };
      return;
    }
    if (header?.type !== 'init') return;
    // The server blacks out privacy masks for roles that may not see behind them.
    this.onMasked(header.masked === true);
    // First init, or the camera's stream restarted: a fresh MediaSource either way.
    this.#teardownMedia();
    this.codec = typeof header.codec === 'string' && header.codec.trim() !== '' ? header.codec.trim() : null;
    this.awaitingCodec = true;
    if (this.codec) this.#createMedia(this.codec);
  }

  #binary(data) {
    this.lastData = Date.now();
    if (this.awaitingCodec && !this.media) {
      // No codec in the header: read it from the initialisation segment.
      const codec = codecFromInitialization(data);
      if (!codec) {
        this.#fail('코덱을 알 수 없습니다 · The stream does not say its codec');
        return;
      }
      this.codec = codec;
      this.#createMedia(codec);
    }
    if (!this.media) return; // before any init: nothing to decode with
    this.awaitingCodec = false;
    this.queue.push(data);
    if (this.queue.length > MAX_QUEUE) {
      // The decoder cannot keep up (e.g. a throttled background tab): start again at a keyframe.
      this.#fail('지연이 너무 커서 다시 연결합니다 · Fell too far behind, reconnecting', 500);
      return;
    }
    this.#pump();
  }

  #createMedia(codec) {
    const type = `video/mp4; codecs="${codec}"`;
    if (typeof MediaSource === 'undefined') {
      this.#fail('이 브라우저는 Media Source Extensions를 지원하지 않습니다 · This browser lacks Media Source Extensions', RETRY_MAX_MS);
      return;
    }
    if (!MediaSource.isTypeSupported(type)) {
      this.#fail(`이 브라우저가 재생할 수 없는 코덱 ${codec} · This browser cannot play codec ${codec}`, RETRY_MAX_MS);
      return;
    }
    const source = new MediaSource();
    const url = URL.createObjectURL(source);
    const media = { source, buffer: null, url, type };
    this.media = media;
    media.openTimer = setTimeout(() => {
      if (this.media === media && !media.buffer) this.#mediaFailed('영상을 열 수 없습니다 · The video element would not open the stream');
    }, OPEN_TIMEOUT_MS);
    source.addEventListener('sourceopen', () => {
      if (this.media !== media) return;
      clearTimeout(media.openTimer);
      URL.revokeObjectURL(url);
      try {
        const buffer = source.addSourceBuffer(type);
        buffer.mode = 'segments';
        buffer.addEventListener('updateend', this.pump);
        buffer.addEventListener('error', () => {
          if (this.media === media) this.#fail('영상 해석 오류 · The video could not be decoded', 1_000);
        });
        media.buffer = buffer;
      } catch (error) {
        this.#fail(`영상을 준비할 수 없습니다 · Cannot set up the video (${error?.name || error})`);
        return;
      }
      this.#pump();
    }, { once: true });
    this.video.src = url;
  }

  #teardownMedia() {
    const media = this.media;
    this.media = null;
    this.queue = [];
    if (!media) return;
    clearTimeout(media.openTimer);
    media.buffer?.removeEventListener('updateend', this.pump);
    try {
      if (media.source.readyState === 'open') {
        if (media.buffer?.updating) media.buffer.abort();
        media.source.endOfStream();
      }
    } catch {
      // Closing a MediaSource that is already closing.
    }
    URL.revokeObjectURL(media.url);
    this.video.removeAttribute('src');
    this.video.load();
  }

  /** Appends the next queued piece, or trims old video, whenever the SourceBuffer is idle. */
  #pump() {
    const media = this.media;
    const buffer = media?.buffer;
    if (!buffer || buffer.updating || media.source.readyState !== 'open') return;
    this.#chaseLiveEdge();
    if (this.queue.length) {
      const piece = this.queue.shift();
      try {
        buffer.appendBuffer(piece);
      } catch (error) {
        if (error?.name === 'QuotaExceededError') {
          this.queue.unshift(piece);
          this.#trim(5);
        } else {
          this.#fail(`영상 추가 실패 · Could not add video (${error?.name || error})`, 1_000);
        }
      }
      return;
    }
    this.#trim(KEEP_SECONDS);
  }

  #chaseLiveEdge() {
    const { video } = this;
    const ranges = video.buffered;
    if (!ranges.length) return;
    const last = ranges.length - 1;
    const end = ranges.end(last);
    const behind = end - video.currentTime;
    if (behind > MAX_LATENCY || video.currentTime < ranges.start(last) - 0.05) {
      video.currentTime = Math.max(ranges.start(last), end - TARGET_LATENCY);
    }
    if (video.paused && !video.ended && video.readyState >= 2) video.play().catch(() => {});
  }

  /** Removes buffered video more than `keep` seconds behind the playhead. */
  #trim(keep) {
    const buffer = this.media?.buffer;
    if (!buffer || buffer.updating) return;
    const ranges = buffer.buffered;
    if (!ranges.length) return;
    const cut = this.video.currentTime - keep;
    // A little slack so this runs every few seconds, not after every fragment.
    if (cut - ranges.start(0) > Math.min(5, keep / 2)) {
      try {
        buffer.remove(ranges.start(0), cut);
      } catch {
        // The MediaSource closed meanwhile.
      }
    }
  }

  #watch() {
    if (this.stopped || !this.socket) return;
    if (Date.now() - this.lastData > SILENCE_MS && this.socket.readyState === WebSocket.OPEN) {
      this.#setState('error', '영상이 들어오지 않습니다 (기다리는 중) · No video arriving (waiting)');
    }
  }

  /** The <video> refused the MediaSource: a page policy (no retry) or a decoding problem. */
  #mediaFailed(text) {
    if (blockedByPolicy) {
      this.#closeSocket();
      this.#teardownMedia();
      clearInterval(this.silenceTimer);
      this.silenceTimer = null;
      this.#setState('error', POLICY_TEXT);
      return;
    }
    this.#fail(text, 1_000);
  }

  /** Gives up on this connection: closes it and tries again after `delayMs`. */
  #fail(text, delayMs) {
    this.#closeSocket();
    this.#teardownMedia();
    this.#scheduleRetry(text, delayMs);
  }

  /** The socket closed or never opened: find out why, say so, and retry. */
  async #lost(event) {
    if (this.stopped) return;
    this.#teardownMedia();
    clearInterval(this.silenceTimer);
    this.silenceTimer = null;
    const told = this.serverError
      || (event?.code >= 4000 && event.reason ? { text: event.reason, status: event.code - 4000 } : null);
    if (told) {
      const delayMs = told.status === 409 ? 30_000 : told.status === 403 || told.status === 404 ? 60_000 : undefined;
      this.#scheduleRetry(told.text, delayMs);
      return;
    }
    this.#setState('error', '연결 끊김, 원인 확인 중… · Connection lost, checking why…');
    let answer;
    try {
      answer = await this.diagnose();
    } catch {
      answer = null;
    }
    if (this.stopped || this.socket || this.retryTimer) return;
    this.#scheduleRetry(answer?.text || '연결 끊김 · Connection lost', answer?.delayMs);
  }

  #scheduleRetry(text, delayMs) {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    clearInterval(this.silenceTimer);
    this.silenceTimer = null;
    const backoff = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** this.failures);
    this.failures += 1;
    const delay = Math.max(delayMs ?? 0, backoff) * (0.85 + Math.random() * 0.3);
    const seconds = Math.round(delay / 1000);
    this.#setState('error', `${text} — ${seconds}초 후 다시 연결 · retrying in ${seconds} s`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) this.#connect();
    }, delay);
  }
}
