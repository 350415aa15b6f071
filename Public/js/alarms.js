// Alarms & incidents (administrator, operator, police): the one alarm queue — bells, 112/119,
// analytics, camera health, operators' own — most urgent first, and the incidents being worked.
// The view is made at sign-in and keeps the WebSocket GET /api/alarms/live open while other
// views are shown: new alarms go into the queue (the nav badge counts the open ones), and a
// "wall" message (a pressed bell, a cast-net) puts its cameras on this console's wall and
// brings the wall to the front, so the operator sees the place at once.
//
// Test hooks: #alarm-queue .alarm-row[data-alarm][data-priority][data-status][data-drill];
// #incident-list .incident-row[data-incident]; #incident-detail[data-incident] with
// .incident-timeline li[data-kind]; #alarms-feed[data-state]; window.citywatchWallRequests
// (the wall messages received, each {at: ms, cameraIds}); window.citywatchAlarmSounds (chimes
// played for new critical or high alarms); the filter bar's hooks with prefix "alarms"
// (#alarms-filter-kind …, listfilters.js); .alarm-storm[data-count][data-first][data-last] on a
// storm alarm (many alarms from one camera and rule, kept as one).

import { errorText } from './api.js';
import { bi, formatTime, h, message, replace, text } from './dom.js';
import { INCIDENTS_EVENT } from './incidentlayer.js';
import { followLive } from './livesocket.js';
import { createBellDutyPanel } from './bellduty.js';
import { createListFilters } from './listfilters.js';
import { bringToWall } from './wallstore.js';

const WALL_ROLES = ['administrator', 'operator', 'police'];
const HANDLER_ROLES = ['administrator', 'operator'];

const PRIORITY = {
  critical: ['긴급', 'Critical'],
  high: ['높음', 'High'],
  normal: ['보통', 'Normal'],
  low: ['낮음', 'Low'],
};
const SOURCE = {
  bell: ['비상벨', 'Bell'],
  emergencyCall: ['112·119', 'Emergency call'],
  analytics: ['영상분석', 'Analytics'],
  cameraHealth: ['카메라 상태', 'Camera health'],
  operator: ['관제요원', 'Operator'],
  storage: ['저장소', 'Storage'],
};
const STATUS = {
  open: ['미확인', 'Open'],
  acknowledged: ['확인', 'Acknowledged'],
  dismissed: ['종결', 'Dismissed'],
  escalated: ['사건 전환', 'Escalated'],
};
const INCIDENT_STATUS = { open: ['처리 중', 'Open'], handedOver: ['인계', 'Handed over'], closed: ['종료', 'Closed'] };
const RANK = { critical: 0, high: 1, normal: 2, low: 3 };

function isActive(alarm) {
  return alarm.status === 'open' || alarm.status === 'acknowledged';
}

/** The queue's order, as the server's AlarmQueue keeps it. */
function queueOrder(a, b) {
  if (isActive(a) !== isActive(b)) return isActive(a) ? -1 : 1;
  if (!isActive(a)) return b.raisedAt.localeCompare(a.raisedAt);
  if (a.priority !== b.priority) return RANK[a.priority] - RANK[b.priority];
  if (a.drill !== b.drill) return a.drill ? 1 : -1;
  if (a.status !== b.status) return a.status === 'open' ? -1 : 1;
  return a.raisedAt.localeCompare(b.raisedAt);
}

export function createAlarmsView(context) {
  const handles = context.can(HANDLER_ROLES);
  const alarms = new Map(); // id → alarm (the whole queue: the badge and the wall follow it)
  const listed = new Map(); // id → alarm the server listed for the filters set (older ones too)
  const incidents = new Map(); // id → incident
  let selected = null; // incident id shown in the detail
  window.citywatchWallRequests = [];

  const feed = h('span', { id: 'alarms-feed', class: 'feed-state', dataset: { state: 'connecting' } }, '연결 중 Connecting');
  const showFinished = h('input', { type: 'checkbox', id: 'alarms-finished' });
  const filters = createListFilters({
    prefix: 'alarms',
    kinds: Object.entries(SOURCE).map(([source, [korean, english]]) => [source, korean, english]),
    states: Object.entries(STATUS).map(([status, [korean, english]]) => [status, korean, english]),
    onChange: () => load(),
  });
  // Whether a wall request (a bell, a cast-net) brings this console's wall to the front.
  const forwardKey = `citywatch.alarms.wallForward.${context.user?.id ?? context.user?.username ?? ''}`;
  const wallForward = h('input', { type: 'checkbox', id: 'alarms-wall-forward', checked: localStorage.getItem(forwardKey) !== 'off' });
  // Whether new urgent alarms sound (a tired operator may be looking at another screen).
  const soundKey = `citywatch.alarms.sound.${context.user?.id ?? context.user?.username ?? ''}`;
  const sound = h('input', { type: 'checkbox', id: 'alarms-sound', checked: localStorage.getItem(soundKey) !== 'off' });
  for (const [box, storageKey] of [[wallForward, forwardKey], [sound, soundKey]]) {
    box.addEventListener('change', () => {
      try {
        localStorage.setItem(storageKey, box.checked ? 'on' : 'off');
      } catch {
        // Not remembered; it still applies now.
      }
    });
  }
  window.citywatchAlarmSounds = 0;
  let audio = null;

  /** Three short tones for a new critical or high alarm (not for drills), when sound is on. */
  function chime(alarm) {
    if (!sound.checked || alarm.drill || (alarm.priority !== 'critical' && alarm.priority !== 'high')) return;
    window.citywatchAlarmSounds += 1;
    try {
      audio = audio || new AudioContext();
      audio.resume?.();
      const pitch = alarm.priority === 'critical' ? 880 : 660;
      for (let beep = 0; beep < 3; beep += 1) {
        const start = audio.currentTime + beep * 0.25;
        const tone = audio.createOscillator();
        const gain = audio.createGain();
        tone.frequency.value = pitch;
        gain.gain.setValueAtTime(0.2, start);
        gain.gain.setValueAtTime(0, start + 0.15);
        tone.connect(gain).connect(audio.destination);
        tone.start(start);
        tone.stop(start + 0.16);
      }
    } catch {
      // No audio device or not allowed yet: the queue and the badge still show it.
    }
  }
  /** Alarms ticked for one action on all of them; kept across redraws, dropped when they finish. */
  const chosen = new Set();
  const bulkCount = h('span', { id: 'alarm-bulk-count' });
  const bulkNote = h('input', { type: 'text', id: 'alarm-bulk-note', maxlength: '1000', placeholder: '사유 Reason', 'aria-label': '사유 Reason' });
  const bulkNotice = h('p', { id: 'alarm-bulk-notice', class: 'message', hidden: true });
  const bulk = h('div', { id: 'alarm-bulk', class: 'toolbar alarm-bulk', hidden: true },
    bulkCount, bulkNote,
    h('button', { type: 'button', id: 'alarm-bulk-ack', on: { click: () => actOnChosen('acknowledge') } }, bi('선택 확인', 'Acknowledge selected')),
    h('button', { type: 'button', id: 'alarm-bulk-dismiss', class: 'button-quiet', on: { click: () => actOnChosen('dismiss') } }, bi('선택 종결', 'Dismiss selected')),
    h('button', { type: 'button', class: 'button-quiet', on: { click: () => { chosen.clear(); renderQueue(); } } }, bi('선택 해제', 'Clear')));

  const bellDuty = createBellDutyPanel(context, { handles });
  const notice = h('p', { class: 'message', hidden: true, role: 'status' });
  const queue = h('ol', { id: 'alarm-queue', class: 'alarm-queue', 'aria-live': 'polite' });
  const incidentList = h('ul', { id: 'incident-list', class: 'incident-list' });
  const detail = h('section', { id: 'incident-detail', class: 'incident-detail', hidden: true, 'aria-label': '사건 Incident' });
  const el = h('section', { class: 'view-alarms', 'aria-label': '알람·사건 Alarms and incidents' },
    h('div', { class: 'toolbar' },
      h('h1', null, bi('알람·사건', 'Alarms & incidents')),
      feed,
      h('label', { class: 'check' }, showFinished, ' ', bi('처리된 알람도', 'Show finished')),
      context.can(WALL_ROLES) ? h('label', { class: 'check' }, wallForward, ' ', bi('알람 때 영상벽으로 이동', 'Bring the wall forward on alarms')) : null,
      h('label', { class: 'check' }, sound, ' ', bi('알람음', 'Sound'))),
    filters.el,
    notice,
    h('div', { class: 'alarms-columns' },
      h('section', { class: 'alarms-queue-column', 'aria-label': '알람 대기열 Alarm queue' },
        h('h2', null, bi('알람 대기열', 'Alarm queue')), handles ? [bulk, bulkNotice] : null, queue, bellDuty.el),
      h('section', { class: 'alarms-incident-column', 'aria-label': '사건 Incidents' },
        h('h2', null, bi('사건', 'Incidents')), incidentList, detail)));

  function updateBadge() {
    const open = [...alarms.values()].filter((alarm) => alarm.status === 'open' && !alarm.drill).length;
    context.setBadge?.('alarms', open);
  }

  function label(pair) {
    return pair ? bi(pair[0], pair[1]) : '';
  }

  function cameraButtons(ids, labels, reason) {
    if (!ids.length) return h('p', { class: 'hint' }, bi('연결된 카메라 없음', 'No linked camera'));
    return h('ul', { class: 'alarm-cameras' }, ids.map((id, index) => h('li', null,
      text(labels[index] || id), ' ',
      context.can(WALL_ROLES)
        ? h('button', { type: 'button', class: 'button-small', on: { click: () => sendToWall(ids.slice(index, index + 1), labels.slice(index, index + 1), reason, false) } },
          bi('영상벽', 'To wall'))
        : null)));
  }

  function sendToWall(ids, labels, reason, bringToFront) {
    const { placed, missed } = bringToWall(context.user, ids.map((id, index) => ({ id, label: labels[index] || id })), reason);
    message(notice, missed ? 'warn' : 'info', missed
      ? `영상벽에 ${placed}대, ${missed}대는 자리가 없습니다 · ${placed} on the wall, ${missed} did not fit`
      : `영상벽에 ${placed}대 · ${placed} camera(s) on the wall: ${reason}`);
    if (bringToFront && location.hash !== '#wall') location.hash = '#wall';
  }

  function alarmRow(alarm) {
    const noteInput = h('input', {
      type: 'text', class: 'alarm-note', maxlength: '1000', placeholder: '메모 Note', 'aria-label': '메모 Note', value: noteDrafts.get(alarm.id) || '',
    });
    // What the operator types survives the row being redrawn by a live update.
    noteInput.addEventListener('input', () => noteDrafts.set(alarm.id, noteInput.value));
    const rowNotice = h('p', { class: 'message', hidden: true });
    async function act(action, body) {
      // The note goes with the action: a row redrawn meanwhile (a live update may come first) starts empty.
      const draft = noteDrafts.get(alarm.id);
      noteDrafts.delete(alarm.id);
      try {
        const path = `/api/alarms/${encodeURIComponent(alarm.id)}/${action}`;
        const answer = await context.api.post(path, body);
        if (action === 'escalate') {
          acceptIncident(answer.incident);
          showIncident(answer.incident.id);
          const updated = answer.alarms.find((candidate) => candidate.id === alarm.id);
          if (updated) acceptAlarm(updated);
        } else {
          acceptAlarm(answer);
        }
      } catch (error) {
        if (draft !== undefined) noteDrafts.set(alarm.id, draft);
        message(rowNotice, 'error', errorText(error));
      }
    }
    const note = () => noteInput.value.trim() || undefined;
    const choose = handles && isActive(alarm) ? h('input', {
      type: 'checkbox', class: 'alarm-select', checked: chosen.has(alarm.id), 'aria-label': '선택 Select',
      on: { change: (event) => { if (event.target.checked) chosen.add(alarm.id); else chosen.delete(alarm.id); renderBulk(); } },
    }) : null;
    const reopen = handles && alarm.status === 'dismissed'
      ? h('button', { type: 'button', class: 'alarm-reopen button-quiet', on: { click: () => act('reopen', note() ? { note: note() } : {}) } },
        bi('다시 열기', 'Reopen'))
      : null;
    const buttons = handles && isActive(alarm) ? h('div', { class: 'alarm-actions' },
      noteInput,
      alarm.status === 'open' ? h('button', { type: 'button', class: 'alarm-ack', on: { click: () => act('acknowledge', { note: note() }) } }, bi('확인', 'Acknowledge')) : null,
      h('button', { type: 'button', class: 'alarm-dismiss button-quiet', on: {
        click: () => (note() ? act('dismiss', { note: note() }) : (message(rowNotice, 'warn', '종결 사유를 메모에 적으세요 · Write why in the note'), noteInput.focus())),
      } }, bi('종결', 'Dismiss')),
      h('button', { type: 'button', class: 'alarm-escalate', on: { click: () => act('escalate', note() ? { note: note() } : {}) } }, bi('사건 열기', 'Open incident')))
      : null;
    const row = h('li', {
      class: `alarm-row priority-${alarm.priority}`,
      dataset: { alarm: alarm.id, priority: alarm.priority, status: alarm.status, drill: String(alarm.drill) },
    },
    h('div', { class: 'alarm-head' },
      choose,
      h('span', { class: `badge priority priority-${alarm.priority}` }, label(PRIORITY[alarm.priority])),
      alarm.drill ? h('span', { class: 'badge drill' }, '훈련 DRILL') : null,
      h('span', { class: 'badge' }, label(SOURCE[alarm.source])),
      h('strong', { class: 'alarm-title' }, text(alarm.title)),
      h('time', { datetime: alarm.raisedAt }, formatTime(alarm.raisedAt)),
      h('span', { class: 'alarm-status' }, label(STATUS[alarm.status]))),
    alarm.storm ? stormLine(alarm.storm) : null,
    alarm.detail ? h('p', { class: 'alarm-detail' }, text(alarm.detail)) : null,
    cameraButtons(alarm.cameraIds, alarm.cameraLabels, alarm.title),
    alarm.notes.length ? h('ul', { class: 'alarm-notes' }, alarm.notes.map((entry) => h('li', null, `${entry.by}: `, text(entry.text)))) : null,
    alarm.incidentId ? h('button', { type: 'button', class: 'button-quiet', on: { click: () => showIncident(alarm.incidentId) } }, bi('사건 보기', 'Show incident')) : null,
    buttons,
    reopen,
    rowNotice);
    return row;
  }

  function renderBulk() {
    for (const id of [...chosen]) if (!alarms.has(id) || !isActive(alarms.get(id))) chosen.delete(id);
    for (const box of queue.querySelectorAll('.alarm-select')) box.checked = chosen.has(box.closest('.alarm-row')?.dataset.alarm);
    bulk.hidden = chosen.size === 0;
    bulkCount.textContent = `${chosen.size}건 선택 · ${chosen.size} selected`;
  }

  /** Reopens the alarms a bulk dismissal just closed; says which could not be. */
  async function undoDismissal(ids) {
    let answer;
    try {
      answer = await context.api.post('/api/alarms/bulk', { action: 'reopen', ids, note: '일괄 종결 취소 · bulk dismissal undone' });
    } catch (error) {
      message(bulkNotice, 'error', `되돌리지 못함 · Undo failed: ${errorText(error)}`);
      return;
    }
    for (const alarm of answer.done) acceptAlarm(alarm);
    const failed = answer.refused.map((refusal) => refusal.reason);
    message(bulkNotice, failed.length ? 'warn' : 'info', failed.length
      ? `${answer.done.length}건 되돌림, ${failed.length}건 실패 · ${answer.done.length} reopened, ${failed.length} not: ${failed.join('; ')}`
      : `${answer.done.length}건 되돌림 · ${answer.done.length} reopened`);
  }

  async function actOnChosen(action) {
    const note = bulkNote.value.trim();
    if (action === 'dismiss' && !note) {
      message(bulkNotice, 'warn', '종결 사유를 적으세요 · Write why they are dismissed');
      bulkNote.focus();
      return;
    }
    const ids = [...chosen];
    try {
      const answer = await context.api.post('/api/alarms/bulk', { action, ids, ...(note ? { note } : {}) });
      for (const alarm of answer.done) {
        chosen.delete(alarm.id);
        alarms.set(alarm.id, alarm);
      }
      bulkNote.value = '';
      const summary = answer.refused.length
        ? `${answer.done.length}건 처리, ${answer.refused.length}건 거부 · ${answer.done.length} done, ${answer.refused.length} refused: ${answer.refused.map((r) => r.reason).join('; ')}`
        : `${answer.done.length}건 처리 · ${answer.done.length} done`;
      // A dismissal of many can be taken back at once (the wrong ones ticked at 3 a.m.).
      const dismissed = action === 'dismiss' ? answer.done.map((alarm) => alarm.id) : [];
      message(bulkNotice, answer.refused.length ? 'warn' : 'info', [summary, dismissed.length
        ? [' ', h('button', { type: 'button', id: 'alarm-bulk-undo', class: 'button-small', on: { click: () => undoDismissal(dismissed) } }, bi('되돌리기', 'Undo'))]
        : null]);
      renderQueue();
    } catch (error) {
      message(bulkNotice, 'error', errorText(error));
    }
  }

  /** id → {json, el}: rows are made again only when their alarm changed, so a note being typed survives. */
  const rowCache = new Map();
  /** id → the note being typed on an alarm's row. */
  const noteDrafts = new Map();
  /** Alarms this console has heard of (live or listed); `loadedOnce` after the first list. */
  const known = new Set();
  let loadedOnce = false;

  /** Whether the filters would list `alarm`. */
  function passes(alarm) {
    return filters.passes('kind', alarm.source) && filters.passes('severity', alarm.priority) && filters.passes('state', alarm.status)
      && (filters.query().camera === null || alarm.cameraIds.includes(filters.query().camera));
  }

  function renderQueue() {
    const all = new Map([...listed, ...alarms]);
    const finishedAsked = showFinished.checked || (filters.query().state !== null && !isActive({ status: filters.query().state }));
    const shown = [...all.values()].filter((alarm) => (finishedAsked || isActive(alarm)) && passes(alarm)).sort(queueOrder);
    if (!shown.length) {
      rowCache.clear();
      replace(queue, h('li', { class: 'empty' }, filters.active() > 0
        ? bi('필터에 맞는 알람이 없습니다', 'No alarm matches the filters')
        : bi('대기 중인 알람이 없습니다', 'No alarms waiting')));
      renderBulk();
      updateBadge();
      return;
    }
    const rows = shown.map((alarm) => {
      const json = JSON.stringify(alarm);
      let cached = rowCache.get(alarm.id);
      if (!cached || cached.json !== json) {
        cached = { json, el: alarmRow(alarm) };
        rowCache.set(alarm.id, cached);
      }
      return cached.el;
    });
    for (const id of [...rowCache.keys()]) if (!all.has(id)) rowCache.delete(id);
    const unchanged = rows.length === queue.children.length && rows.every((row, index) => queue.children[index] === row);
    if (!unchanged) queue.replaceChildren(...rows);
    renderBulk();
    updateBadge();
  }

  function acceptAlarm(alarm) {
    known.add(alarm.id);
    alarms.set(alarm.id, alarm);
    if (listed.has(alarm.id)) listed.set(alarm.id, alarm);
    noteCameras(alarm);
    renderQueue();
  }

  /** Offers the alarm's cameras in the camera filter. */
  function noteCameras(alarm) {
    alarm.cameraIds.forEach((id, index) => filters.noteCamera(id, alarm.cameraLabels?.[index] || id));
  }

  /**
   * A storm: how many alarms it stands for and the span they fell in, which grows while they
   * keep coming ("37건 · 02:14–02:41 (27분)").
   */
  function stormLine(storm) {
    const minutes = Math.max(0, Math.round((Date.parse(storm.lastAt) - Date.parse(storm.firstAt)) / 60_000));
    return h('p', { class: 'alarm-storm', dataset: { count: String(storm.count), first: storm.firstAt, last: storm.lastAt } },
      h('span', { class: 'badge badge-storm' }, bi('폭주', 'Storm')), ' ',
      h('strong', null, `${storm.count}건 alarms`), ' · ',
      h('time', { datetime: storm.firstAt }, formatTime(storm.firstAt)), ' – ',
      h('time', { datetime: storm.lastAt }, formatTime(storm.lastAt)),
      ` (${minutes}분 min)`);
  }

  function acceptIncident(incident) {
    incidents.set(incident.id, incident);
    window.dispatchEvent(new CustomEvent(INCIDENTS_EVENT));
    renderIncidents();
    if (selected === incident.id) showIncident(incident.id);
  }

  function renderIncidents() {
    const list = [...incidents.values()].sort((a, b) => (a.status === 'closed') - (b.status === 'closed') || b.openedAt.localeCompare(a.openedAt));
    if (!list.length) {
      replace(incidentList, h('li', { class: 'empty' }, bi('열린 사건 없음', 'No open incidents')));
      return;
    }
    replace(incidentList, list.map((incident) => h('li', { class: 'incident-row', dataset: { incident: incident.id, status: incident.status } },
      h('button', { type: 'button', class: 'button-quiet', 'aria-pressed': String(selected === incident.id), on: { click: () => showIncident(incident.id) } },
        h('strong', null, incident.number), ' ',
        incident.drill ? h('span', { class: 'badge drill' }, '훈련') : null, ' ',
        text(`${incident.kindName} · ${incident.title}`), ' ',
        h('span', { class: 'incident-status' }, label(INCIDENT_STATUS[incident.status]))))));
  }

  async function showIncident(id) {
    selected = id;
    renderIncidents();
    detail.hidden = false;
    detail.dataset.incident = id;
    let answer;
    try {
      answer = await context.api.get(`/api/incidents/${encodeURIComponent(id)}`);
    } catch (error) {
      replace(detail, h('p', { class: 'message message-error' }, errorText(error)));
      return;
    }
    if (selected !== id) return;
    incidents.set(id, answer.incident);
    renderDetail(answer);
  }

  /**
   * The element `selector` of incident `id`'s detail as shown now, else `made` (the one this
   * render made). What an action answers goes there: a live update (the action itself adds to
   * the timeline) may have redrawn the detail while the request was on its way.
   */
  function shownInDetail(id, selector, made) {
    return (detail.dataset.rendered === id && detail.querySelector(selector)) || made;
  }

  function renderDetail({ incident, timeline }) {
    // A live update redraws the detail: what was being typed, the open share panel and the focus stay.
    const sameIncident = detail.dataset.rendered === incident.id;
    const previous = sameIncident ? {
      note: detail.querySelector('#incident-note')?.value || '',
      noteFocused: document.activeElement?.id === 'incident-note',
      shareOpen: detail.querySelector('.incident-share')?.open === true,
      partner: detail.querySelector('#incident-share-partner')?.value || '',
      minutes: detail.querySelector('#incident-share-minutes')?.value || '',
      shareResult: detail.querySelector('#incident-share-result')?.cloneNode(true) || null,
      notice: detail.querySelector('#incident-notice:not([hidden])')?.cloneNode(true) || null,
    } : null;
    const detailNotice = h('p', { class: 'message', id: 'incident-notice', hidden: true });
    const notice = () => shownInDetail(incident.id, '#incident-notice', detailNotice);
    const noteInput = h('textarea', { id: 'incident-note', rows: '2', maxlength: '2000', 'aria-label': '경과 기록 Note' });
    async function call(path, body, done) {
      message(notice(), 'info', null);
      try {
        const answer = await context.api.post(`/api/incidents/${encodeURIComponent(incident.id)}/${path}`, body);
        done?.(answer);
        await showIncident(incident.id);
      } catch (error) {
        message(notice(), 'error', errorText(error));
      }
    }
    const closed = incident.status === 'closed';
    const actions = h('div', { class: 'toolbar incident-actions' },
      handles && !closed ? h('button', { type: 'button', id: 'incident-castnet', on: {
        click: () => call('castnet', {}, (plan) => message(notice(), 'info',
          `캐스트넷: 카메라 ${plan.plan.cameras.length}대 중 상위를 사건에 연결하고 영상벽으로 보냈습니다 · Cast-net: ${plan.plan.cameras.length} cameras, the best linked and sent to the wall`)),
      } }, bi('캐스트넷 → 영상벽', 'Cast-net → wall')) : null,
      context.can(WALL_ROLES) && incident.cameraIds.length ? h('button', { type: 'button', class: 'button-quiet', on: {
        click: () => sendToWall(incident.cameraIds, incident.cameraLabels, `사건 ${incident.number}`, true),
      } }, bi('모든 카메라 영상벽', 'All cameras to wall')) : null,
      handles ? h('button', { type: 'button', class: 'button-quiet', id: 'incident-close', on: {
        click: () => call('status', { status: closed ? 'open' : 'closed' }),
      } }, closed ? bi('다시 열기', 'Reopen') : bi('사건 종료', 'Close incident')) : null);
    replace(detail,
      h('h3', null, `${incident.number} · `, text(incident.title), incident.drill ? h('span', { class: 'badge drill' }, '훈련 DRILL') : null),
      h('p', null, label(INCIDENT_STATUS[incident.status]), ` · ${incident.kindName} · 등급 grade ${incident.grade} · `,
        formatTime(incident.occurredAt), incident.address ? [' · ', text(incident.address)] : null),
      actions,
      detailNotice,
      h('h4', null, bi('카메라', 'Cameras')),
      cameraButtons(incident.cameraIds, incident.cameraLabels, `사건 ${incident.number}`),
      h('h4', null, bi('경과', 'Timeline')),
      h('ol', { class: 'incident-timeline' }, timeline.map((entry) => h('li', { dataset: { kind: entry.kind } },
        h('time', { datetime: entry.at }, formatTime(entry.at)), ' ', h('strong', null, text(entry.by)), ' ', text(entry.text)))),
      handles && !closed ? shareSection(incident) : null,
      !closed ? h('form', { class: 'incident-note-form', on: {
        submit: (event) => {
          event.preventDefault();
          if (noteInput.value.trim()) call('notes', { text: noteInput.value }, () => { noteInput.value = ''; });
        },
      } }, noteInput, h('button', { type: 'submit' }, bi('기록', 'Add note'))) : null);
    detail.dataset.rendered = incident.id;
    if (previous) {
      if (previous.notice) {
        detailNotice.className = previous.notice.className;
        detailNotice.setAttribute('role', previous.notice.getAttribute('role') || 'status');
        detailNotice.replaceChildren(...previous.notice.childNodes);
        detailNotice.hidden = false;
      }
      noteInput.value = previous.note;
      if (previous.noteFocused) noteInput.focus();
      const share = detail.querySelector('.incident-share');
      if (share && previous.shareOpen) {
        share.open = true;
        detail.querySelector('#incident-share-partner').value = previous.partner;
        if (previous.minutes) detail.querySelector('#incident-share-minutes').value = previous.minutes;
        if (previous.shareResult) detail.querySelector('#incident-share-result').replaceWith(previous.shareResult);
      }
    }
  }

  /** Share links for a partner (112/119 situation room): short-lived tokens to live and playback. */
  function shareSection(incident) {
    const partner = h('input', { type: 'text', id: 'incident-share-partner', maxlength: '64', placeholder: 'seoul-112', 'aria-label': '기관 Partner' });
    const minutes = h('input', { type: 'number', id: 'incident-share-minutes', min: '1', max: '1440', value: '30', 'aria-label': '분 Minutes' });
    const result = h('div', { id: 'incident-share-result', role: 'status' });
    const shownResult = () => shownInDetail(incident.id, '#incident-share-result', result);
    async function share(event) {
      event.preventDefault();
      try {
        const answer = await context.api.post(`/api/incidents/${encodeURIComponent(incident.id)}/share`, {
          partner: partner.value.trim(), minutes: Number(minutes.value) || 30,
        });
        const absolute = (path) => new URL(path, location.origin).href;
        replace(shownResult(),
          h('p', null, bi('공유 링크 (만료', 'Share link (expires'), ` ${formatTime(answer.expiresAt)}): `,
            h('code', { class: 'share-url' }, absolute(answer.url))),
          h('ul', null, answer.cameras.map((camera) => h('li', null, text(camera.label), ': ',
            h('code', null, absolute(camera.live)), ' · ', h('code', null, absolute(camera.playback))))));
        await loadShares();
      } catch (error) {
        replace(shownResult(), h('p', { class: 'message message-error' }, errorText(error)));
      }
    }
    // The links given out so far: who has them, until when; any can be revoked at once.
    const shares = h('ul', { id: 'incident-shares', class: 'incident-shares' });
    const shownShares = () => shownInDetail(incident.id, '#incident-shares', shares);
    const base = `/api/incidents/${encodeURIComponent(incident.id)}/shares`;
    async function loadShares() {
      let list;
      try {
        list = await context.api.get(base);
      } catch (error) {
        replace(shownShares(), h('li', { class: 'message message-error' }, errorText(error)));
        return;
      }
      const now = Date.now();
      replace(shownShares(), list.length ? list.map((item) => {
        const live = !item.revokedAt && Date.parse(item.expiresAt) > now;
        return h('li', { class: 'incident-share-item', dataset: { share: item.id, state: item.revokedAt ? 'revoked' : live ? 'active' : 'expired' } },
          h('strong', null, text(item.partner)), ` · ${item.cameraIds.length}대 · `,
          item.revokedAt ? bi('취소됨', 'Revoked') : live ? [bi('만료', 'Expires'), ` ${formatTime(item.expiresAt)}`] : bi('만료됨', 'Expired'),
          ` · ${text(item.createdBy)} `,
          live ? h('button', { type: 'button', class: 'button-small button-quiet share-revoke', on: {
            click: async () => {
              try {
                await context.api.del(`${base}/${encodeURIComponent(item.id)}`);
              } catch (error) {
                message(notice, 'error', errorText(error));
              }
              await loadShares();
            },
          } }, bi('취소', 'Revoke')) : null);
      }) : h('li', { class: 'hint' }, bi('공유한 링크 없음', 'No links shared')));
    }
    return h('details', { class: 'incident-share', on: { toggle: (event) => { if (event.target.open) loadShares(); } } },
      h('summary', null, bi('외부 기관에 공유', 'Share with a partner')),
      h('form', { on: { submit: share } },
        h('label', null, bi('기관', 'Partner'), ' ', partner), ' ',
        h('label', null, bi('유효', 'Valid'), ' ', minutes, ' ', bi('분', 'min')), ' ',
        h('button', { type: 'submit' }, bi('링크 만들기', 'Make links'))),
      result,
      h('h5', null, bi('공유한 링크', 'Links shared')),
      shares);
  }

  function onWallRequest(data) {
    window.citywatchWallRequests.push({ at: Date.now(), cameraIds: data.cameraIds });
    if (window.citywatchWallRequests.length > 100) window.citywatchWallRequests.splice(0, window.citywatchWallRequests.length - 100);
    if (!context.can(WALL_ROLES)) return;
    sendToWall(data.cameraIds, data.labels || [], `${data.drill ? '[훈련] ' : ''}${data.reason || ''}`, wallForward.checked);
  }

  /**
   * Reads the queue and incidents. Between the live messages it also runs every 15 s: in a
   * cluster a bell may be pressed at another node, whose live feed this console does not hear,
   * so an alarm new to this console that asks for the wall, raised in the last two minutes, is
   * put on the wall here too.
   */
  async function load() {
    try {
      const filtered = filters.active() > 0;
      const [queueAnswer, incidentAnswer, filteredAnswer] = await Promise.all([
        context.api.get(`/api/alarms?finished=${showFinished.checked}`),
        context.api.get('/api/incidents'),
        filtered ? context.api.get('/api/alarms', { query: { finished: String(showFinished.checked), ...filters.query() } }) : [],
      ]);
      listed.clear();
      for (const alarm of filteredAnswer) listed.set(alarm.id, alarm);
      for (const alarm of queueAnswer) {
        const fresh = Date.now() - Date.parse(alarm.raisedAt) < 120_000;
        if (loadedOnce && !known.has(alarm.id) && isActive(alarm) && fresh) chime(alarm);
        if (loadedOnce && !known.has(alarm.id) && alarm.toWall && isActive(alarm) && fresh && alarm.cameraIds.length) {
          onWallRequest({ cameraIds: alarm.cameraIds, labels: alarm.cameraLabels, reason: alarm.title, alarmId: alarm.id, drill: alarm.drill });
        }
        known.add(alarm.id);
      }
      loadedOnce = true;
      alarms.clear();
      for (const alarm of queueAnswer) {
        alarms.set(alarm.id, alarm);
        noteCameras(alarm);
      }
      incidents.clear();
      for (const incident of incidentAnswer) incidents.set(incident.id, incident);
      renderQueue();
      renderIncidents();
    } catch (error) {
      message(notice, 'error', errorText(error));
    }
  }

  function setFeed(state, korean, english) {
    feed.dataset.state = state;
    replace(feed, bi(korean, english));
  }

  function connect() {
    return followLive('/api/alarms/live', {
      onOpen: () => setFeed('live', '실시간', 'Live'),
      onMessage(data) {
        if (data.type === 'wall') onWallRequest(data);
        else if (data.type === 'alarm') {
          if (!known.has(data.alarm.id)) chime(data.alarm);
          acceptAlarm(data.alarm);
          if (data.alarm.source === 'bell') bellDuty.refresh();
        } else if (data.type === 'alarm.update') acceptAlarm(data.alarm);
        else if (data.type === 'incident' || data.type === 'incident.update') acceptIncident(data.incident);
      },
      onDown: () => setFeed('reconnecting', '재연결 중', 'Reconnecting'),
      onReconnect: load,
    });
  }

  showFinished.addEventListener('change', load);
  load();
  const live = connect();
  const poll = setInterval(load, 15_000);

  return {
    el,
    destroy() {
      clearInterval(poll);
      live.close();
    },
  };
}
