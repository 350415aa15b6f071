// Events (administrator, operator, police): what analytics raised, newest on top. The list starts
// from GET /api/events and then follows the one WebSocket GET /api/events/live: new events go on
// top, updates (repeats, acknowledgements) change their row in place, tamper changes become
// maintenance notices. Each row shows the snapshot with the objects' boxes over it, a button to
// play the moment back and one to acknowledge it with an optional note. The nav link carries the
// number of unacknowledged events; the view is made at sign-in so that number stays current.
// Snapshots load lazily, and the server audits a snapshot once per viewing session, not per image.
// The filter bar (listfilters.js) narrows the list by kind, camera, severity and state; live
// events that do not pass it are counted in the badge but not shown.
//
// Test hooks: #events-list holding .event-row[data-event="ID"][data-kind][data-camera]
// [data-severity][data-acknowledged] ("true" | "false"); .event-snapshot img; the filter bar's
// hooks with prefix "events" (#events-filter-state …); #events-feed [data-state]
// ("connecting" | "live" | "reconnecting" | "off").

import { errorText } from './api.js';
import { bi, formatKST, formatTime, h, message, replace, text } from './dom.js';
import { classesText, RULE_KINDS, ruleKindLabel, tamperState } from './labels.js';
import { cameraLabel } from './camerapicker.js';
import { createListFilters } from './listfilters.js';
import { followLive } from './livesocket.js';

const LIST_LIMIT = 200;
const COUNT_LIMIT = 500;
/** Analytics not running in the server (close code 4409): ask again now and then. */
const RETRY_OFF_MS = 60_000;

/** The `#…` part of the event's playback URL ("/#playback?camera=…&at=…"). */
function playbackHash(event) {
  try {
    return new URL(event.playbackURL, location.origin).hash || null;
  } catch {
    return null;
  }
}

export function createEventsView(context) {
  const filters = createListFilters({
    prefix: 'events',
    kinds: Object.entries(RULE_KINDS).map(([kind, [korean, english]]) => [kind, korean, english]),
    states: [['unacknowledged', '확인 안 함', 'Unacknowledged'], ['acknowledged', '확인함', 'Acknowledged']],
    onChange: () => load(),
  });
  const reload = h('button', { type: 'button', id: 'events-reload' }, bi('새로고침', 'Reload'));
  const feed = h('span', { id: 'events-feed', class: 'events-feed', role: 'status', dataset: { state: 'connecting' } });
  const problem = h('p', { hidden: true });
  const feedNotice = h('p', { hidden: true });
  const notices = h('ul', { id: 'events-notices', class: 'events-notices', 'aria-label': '점검 알림 Maintenance notices', hidden: true });
  const list = h('ol', { id: 'events-list', class: 'events-list', 'aria-label': '알람 목록 Events, newest first' });
  const empty = h('div', { class: 'events-empty', hidden: true });
  const el = h('section', { class: 'panel view-events', 'aria-labelledby': 'events-title' },
    h('div', { class: 'toolbar events-toolbar' },
      h('h1', { id: 'events-title' }, bi('분석 이벤트', 'Analytics events')),
      reload,
      h('span', { class: 'spacer' }),
      feed),
    filters.el,
    problem, feedNotice, notices, list, empty);

  /** id → {event, row, update} for the rows on screen. */
  const rows = new Map();
  /** Ids of every unacknowledged event we know of: the nav badge. */
  const unacknowledged = new Set();
  const cameraNames = new Map(); // id → Promise<string>
  const tamperRows = new Map(); // camera id → <li>
  let loadController = null;
  let countCapped = false;

  function cameraName(id) {
    if (!cameraNames.has(id)) {
      const found = context.api.get(`/api/cameras/${encodeURIComponent(id)}`).then(cameraLabel, () => String(id));
      found.then((label) => filters.noteCamera(id, label));
      cameraNames.set(id, found);
    }
    return cameraNames.get(id);
  }

  /** An element that shows the camera's label once it is known. */
  function cameraText(id) {
    const span = h('span', { class: 'event-camera-name' }, String(id));
    cameraName(id).then((label) => { span.textContent = label; });
    return span;
  }

  function updateBadge() {
    const count = unacknowledged.size;
    context.setBadge?.('events', countCapped && count >= COUNT_LIMIT ? `${COUNT_LIMIT}+` : count);
  }

  function noteAcknowledgement(event) {
    if (event.acknowledgedAt) unacknowledged.delete(event.id);
    else unacknowledged.add(event.id);
    updateBadge();
  }

  function setFeed(state, korean, english) {
    feed.dataset.state = state;
    replace(feed, h('span', { class: `feed-dot feed-${state}`, 'aria-hidden': 'true' }), ' ', bi(korean, english));
  }

  function showEmpty() {
    const none = rows.size === 0;
    empty.hidden = !none;
    if (none) {
      replace(empty, filters.active() > 0
        ? h('p', null, bi('필터에 맞는 이벤트가 없습니다', 'No event matches the filters'))
        : [h('p', null, bi('알람이 없습니다', 'No events yet')),
          h('p', { class: 'hint' }, bi('카메라에 분석 규칙을 그리면 여기에 알람이 뜹니다 (카메라 → 분석 규칙)',
            'Draw analytics rules on a camera and its events appear here (Cameras → Analytics rules)'))]);
    }
  }

  /** The snapshot with the objects' boxes drawn over it (boxes are fractions of the picture). */
  function snapshot(event) {
    if (!event.snapshotURL) {
      return h('div', { class: 'event-snapshot event-snapshot-none' }, bi('스냅샷 없음', 'No snapshot'));
    }
    const boxes = (Array.isArray(event.boxes) ? event.boxes : []).map((box) => h('div', {
      class: 'event-box',
      style: {
        left: `${(box.x * 100).toFixed(2)}%`, top: `${(box.y * 100).toFixed(2)}%`,
        width: `${(box.width * 100).toFixed(2)}%`, height: `${(box.height * 100).toFixed(2)}%`,
      },
    }));
    return h('a', { class: 'event-snapshot', href: event.snapshotURL, target: '_blank', rel: 'noopener', title: '크게 보기 Open full size' },
      h('img', { src: event.snapshotURL, loading: 'lazy', alt: `스냅샷 Snapshot ${formatTime(event.at)}`, decoding: 'async' }),
      boxes);
  }

  function eventRow(first) {
    let event = first;
    const note = h('input', {
      type: 'text', class: 'event-note', maxlength: '1000', autocomplete: 'off',
      placeholder: '메모 (선택) · note (optional)', 'aria-label': '확인 메모 Acknowledgement note',
    });
    const acknowledge = h('button', { type: 'button', class: 'button-primary event-acknowledge' }, bi('확인', 'Acknowledge'));
    const play = h('button', { type: 'button', class: 'event-play' }, bi('재생', 'Play back'));
    const status = h('p', { hidden: true });
    const details = h('div', { class: 'event-details' });
    const ackBox = h('div', { class: 'event-ack' });
    const picture = h('div', { class: 'event-picture' });
    const row = h('li', { class: 'event-row' },
      picture,
      details,
      h('div', { class: 'event-actions' }, play, ackBox, status));

    let shownSnapshot = null;
    function update(next) {
      event = next;
      row.dataset.event = event.id;
      row.dataset.kind = event.kind;
      row.dataset.camera = event.cameraId;
      row.dataset.severity = event.severity ?? '';
      row.dataset.acknowledged = event.acknowledgedAt ? 'true' : 'false';
      row.classList.toggle('event-acknowledged', Boolean(event.acknowledgedAt));
      if (event.acknowledgedAt) row.classList.remove('event-new');
      if (shownSnapshot !== (event.snapshotURL ?? '')) {
        shownSnapshot = event.snapshotURL ?? '';
        replace(picture, snapshot(event));
      } else {
        // Same picture, maybe new boxes: keep the loaded image.
        for (const box of picture.querySelectorAll('.event-box')) box.remove();
        const fresh = snapshot(event);
        for (const box of [...fresh.querySelectorAll('.event-box')]) picture.firstChild?.appendChild(box);
      }
      replace(details,
        h('p', { class: 'event-time' },
          h('time', { datetime: event.at }, formatTime(event.at)),
          event.repeats > 1 ? h('span', { class: 'event-repeats', title: `마지막 last ${formatTime(event.lastAt)}` }, ` ×${event.repeats}`) : null),
        h('p', { class: 'event-camera' }, cameraText(event.cameraId)),
        h('p', { class: 'event-rule' },
          h('span', { class: `badge badge-kind kind-${event.kind}` }, ruleKindLabel(event.kind)), ' ',
          h('strong', null, text(event.ruleName))),
        h('p', { class: 'event-classes muted' }, bi('대상', 'Objects'), ': ', classesText(event.classes),
          event.repeats > 1 ? [' · ', bi('반복', 'repeats'), ` ${event.repeats}`, ' · ', bi('마지막', 'last'), ` ${formatTime(event.lastAt)}`] : null));
      const hash = playbackHash(event);
      play.disabled = !hash;
      if (event.acknowledgedAt) {
        replace(ackBox, h('p', { class: 'event-acknowledged-by' },
          h('span', { class: 'flag-on' }, '✓ '), bi('확인함', 'Acknowledged'), ' ',
          h('strong', null, text(event.acknowledgedBy)), ' ', h('span', { class: 'muted' }, formatTime(event.acknowledgedAt)),
          event.note ? h('span', { class: 'event-note-text' }, `“${event.note}”`) : null));
      } else {
        replace(ackBox, h('div', { class: 'event-ack-form' }, note, acknowledge));
      }
    }

    play.addEventListener('click', () => {
      const hash = playbackHash(event);
      if (hash) location.hash = hash;
    });
    async function sendAcknowledgement() {
      acknowledge.disabled = true;
      message(status, 'info', '');
      try {
        const body = note.value.trim() ? { note: note.value.trim() } : {};
        const updated = await context.api.post(`/api/events/${encodeURIComponent(event.id)}/acknowledge`, body);
        accept(updated);
        row.querySelector('.event-play')?.focus();
      } catch (error) {
        message(status, 'error', errorText(error));
      } finally {
        acknowledge.disabled = false;
      }
    }
    acknowledge.addEventListener('click', sendAcknowledgement);
    note.addEventListener('keydown', (keyEvent) => {
      if (keyEvent.key === 'Enter') {
        keyEvent.preventDefault();
        sendAcknowledgement();
      }
    });

    update(first);
    return { row, update, get event() { return event; } };
  }

  /** Whether the filters would list `event`. */
  function passes(event) {
    return filters.passes('kind', event.kind) && filters.passes('camera', event.cameraId)
      && filters.passes('severity', event.severity)
      && filters.passes('state', event.acknowledgedAt ? 'acknowledged' : 'unacknowledged');
  }

  /** Puts `event` on screen: updates its row, or adds one in time order. */
  function accept(event, { fromFeed = false } = {}) {
    if (!event || typeof event.id !== 'string') return;
    noteAcknowledgement(event);
    const known = rows.get(event.id);
    if (known) {
      known.update(event);
      return;
    }
    // A new event the filters would not list stays off screen (an acknowledged one leaves at the next reload).
    if (!passes(event)) return;
    const entry = eventRow(event);
    rows.set(event.id, entry);
    const at = Date.parse(event.at);
    let before = null;
    for (const other of list.children) {
      const otherAt = Date.parse(rows.get(other.dataset.event)?.event.at);
      if (!(otherAt > at)) {
        before = other;
        break;
      }
    }
    list.insertBefore(entry.row, before);
    if (fromFeed) entry.row.classList.add('event-new');
    while (list.children.length > LIST_LIMIT) {
      const last = list.lastElementChild;
      rows.delete(last.dataset.event);
      last.remove();
    }
    showEmpty();
  }

  function tamperNotice(notice) {
    const [korean, english, kind] = tamperState(notice.state);
    const id = String(notice.cameraId);
    const dismiss = h('button', { type: 'button', class: 'button-small button-quiet', title: '닫기 Dismiss' }, '×');
    const li = h('li', { class: `tamper-notice tamper-${kind}`, dataset: { camera: id, state: String(notice.state) } },
      h('span', { class: `badge badge-${kind}` }, bi('점검', 'Maintenance')),
      h('span', { class: 'tamper-text' },
        h('time', { datetime: notice.at }, `${formatKST(notice.at)} KST`), ' ',
        h('strong', null, cameraText(id)), ' — ',
        h('span', null, bi(korean, english)),
        notice.detail ? h('span', { class: 'muted tamper-detail' }, ` (${notice.detail})`) : null),
      dismiss);
    dismiss.addEventListener('click', () => {
      li.remove();
      tamperRows.delete(id);
      notices.hidden = tamperRows.size === 0;
    });
    tamperRows.get(id)?.remove();
    tamperRows.set(id, li);
    notices.prepend(li);
    notices.hidden = false;
  }

  async function load() {
    loadController?.abort();
    loadController = new AbortController();
    const { signal } = loadController;
    list.setAttribute('aria-busy', 'true');
    try {
      const [events, open] = await Promise.all([
        context.api.get('/api/events', { query: { limit: LIST_LIMIT, ...filters.query() }, signal }),
        context.api.get('/api/events', { query: { limit: COUNT_LIMIT, unacknowledged: 'true' }, signal }),
      ]);
      if (signal.aborted) return;
      message(problem, 'error', '');
      unacknowledged.clear();
      countCapped = Array.isArray(open) && open.length >= COUNT_LIMIT;
      for (const event of Array.isArray(open) ? open : []) unacknowledged.add(event.id);
      // A reload (reconnect, filter) makes the rows again: notes being typed go to the new rows.
      const drafts = [...rows].map(([id, entry]) => [id, entry.row.querySelector('.event-note')?.value]).filter(([, value]) => value);
      rows.clear();
      replace(list);
      for (const event of Array.isArray(events) ? events : []) accept(event);
      for (const [id, value] of drafts) {
        const field = rows.get(id)?.row.querySelector('.event-note');
        if (field) field.value = value;
      }
      updateBadge();
      showEmpty();
    } catch (error) {
      if (error?.name === 'AbortError') return;
      message(problem, 'error', errorText(error));
    } finally {
      if (!signal.aborted) list.removeAttribute('aria-busy');
    }
  }

  /** Follows the live feed; `refused` is the reason the server gave before closing, if any. */
  let refused = null;
  function connect() {
    return followLive('/api/events/live', {
      onOpen() {
        refused = null;
        setFeed('live', '실시간', 'Live');
        message(feedNotice, 'info', '');
      },
      onMessage(data) {
        if (data.type === 'event') accept(data.event, { fromFeed: true });
        else if (data.type === 'update') accept(data.event);
        else if (data.type === 'tamper') tamperNotice(data);
        else if (data.type === 'error') refused = typeof data.reason === 'string' ? data.reason : 'error';
      },
      onDown(closed) {
        if (closed.code === 4409) {
          setFeed('off', '분석 꺼짐', 'Analytics off');
          message(feedNotice, 'info', `이 서버에서 영상 분석이 실행되지 않아 실시간 알람이 없습니다 · No live events: ${refused || 'analytics do not run in this server'}`);
          return RETRY_OFF_MS;
        }
        setFeed('reconnecting', '재연결 중', 'Reconnecting');
        return undefined;
      },
      // Whatever happened while the feed was down comes from the list.
      onReconnect: load,
    });
  }

  reload.addEventListener('click', load);

  setFeed('connecting', '연결 중', 'Connecting');
  load();
  const live = connect();

  return {
    el,
    show() {
      for (const row of list.querySelectorAll('.event-new')) row.classList.remove('event-new');
    },
    destroy() {
      loadController?.abort();
      live.close();
    },
  };
}
