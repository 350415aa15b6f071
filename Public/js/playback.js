// Playback of recordings (administrator, operator, police): pick a camera and a day, see the
// day's recorded ranges and outages on a timeline that zooms from the day to a minute
// (timeline.js; GET /api/cameras/:id/recordings), click it to play from that moment. Segments play one after another in a plain <video>
// (`/api/segments/:id/video`, a fragmented MP4 that starts at 0), so the absolute time shown is
// the segment's start plus the video's currentTime. `#playback?camera=ID&at=ISO` opens a camera.
//
// Test hooks: #playback; #timeline > .range (one per recorded range) and .gap (outages), see
// timeline.js; <video id="playback-video" data-segment="SEGMENT ID">; .playback-summary
// [data-recorded-seconds] (recorded that day, the segment being written included).
//
// In a cluster, footage recorded by a node that is down now is drawn grey (.range-unavailable)
// and, asked for, says "unavailable on node X" instead of playing: it is not lost, and plays
// again once that node is back.
//
// Administrators and operators export evidence of the camera being played (evidenceexport.js).

import { ApiError, errorText } from './api.js';
import { bi, debounce, formatTime, h, isoUTC, message, replace, text } from './dom.js';
import { cameraDetail, cameraLabel, createCameraPicker } from './camerapicker.js';
import { createEvidenceExport } from './evidenceexport.js';
import { clock, createTimeline, spanText } from './timeline.js';

function pad(number) {
  return String(number).padStart(2, '0');
}

/** A Date → "YYYY-MM-DD" in local time (a date input's value). */
function dateValue(date) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function times(list) {
  return (Array.isArray(list) ? list : [])
    .map((item) => ({ ...item, startMs: Date.parse(item.start), endMs: Date.parse(item.end) }))
    .filter((item) => Number.isFinite(item.startMs) && Number.isFinite(item.endMs) && item.endMs > item.startMs)
    .sort((a, b) => a.startMs - b.startMs);
}

export function createPlaybackView(context) {
  const picker = createCameraPicker(context, { id: 'playback-cameras', pickLabel: ['선택', 'Pick'], onPick: (camera) => choose(camera) });
  const title = h('h1', { id: 'playback-title' }, bi('녹화 재생', 'Playback'));
  const cameraName = h('p', { class: 'playback-camera muted' }, bi('카메라를 고르세요', 'Pick a camera'));
  const dateInput = h('input', { type: 'date', id: 'playback-date', name: 'day', value: dateValue(new Date()), required: true });
  const previousDay = h('button', { type: 'button', class: 'button-small', title: '전날 Previous day' }, '◀');
  const nextDay = h('button', { type: 'button', class: 'button-small', title: '다음날 Next day' }, '▶');
  const today = h('button', { type: 'button', class: 'button-small' }, bi('오늘', 'Today'));
  const reload = h('button', { type: 'button', class: 'button-small' }, bi('새로고침', 'Reload'));
  const summary = h('p', { class: 'summary playback-summary', role: 'status' });
  const notice = h('p', { hidden: true });
  let slowLoad = null; // timer: say why a masked copy is slow to start
  let loadingShown = false;
  const line = createTimeline({ onPick: (ms) => { if (camera) playAt(ms); } });
  const timeline = line.element;
  const video = h('video', { id: 'playback-video', controls: true, muted: true, playsinline: true, preload: 'auto' });
  const previous = h('button', { type: 'button', id: 'playback-previous' }, bi('◀ 이전', 'Previous segment'));
  const next = h('button', { type: 'button', id: 'playback-next' }, bi('다음', 'Next ▶'));
  const stageHint = h('p', { class: 'playback-hint' }, bi('카메라와 날짜를 고르고 타임라인을 누르세요', 'Pick a camera and a day, then click the timeline'));
  const shownTime = h('output', { id: 'playback-time', class: 'playback-time', 'aria-live': 'off' }, '—');
  const exporter = createEvidenceExport(context, { playedTime: () => playedTime() });

  const el = h('section', { class: 'view-playback', 'aria-labelledby': 'playback-title' },
    h('aside', { class: 'playback-side' }, h('h2', null, bi('카메라', 'Cameras')), picker.el),
    h('div', { id: 'playback', class: 'playback-main' },
      h('div', { class: 'toolbar' },
        title,
        h('label', { for: 'playback-date' }, bi('날짜', 'Day')),
        previousDay, dateInput, nextDay, today, reload,
        h('span', { class: 'spacer' }),
        summary),
      cameraName,
      notice,
      line.el,
      h('div', { class: 'playback-stage' }, video, stageHint),
      h('div', { class: 'button-row playback-controls' }, previous, shownTime, next),
      exporter.el));

  let camera = null;
  let dayStart = 0;
  let dayEnd = 0;
  let segments = [];
  /** The stretch being recorded now (`{startMs, endMs}`), indexed only once its segment closes. */
  let recordingNow = null;
  /** Stretches recorded on cluster nodes that are down now ({startMs, endMs, node, reason}). */
  let unavailable = [];
  let current = -1;
  let pendingOffset = null;
  let controller = null;
  let shown = false;
  let loadedOnce = false;

  video.muted = true;

  function selectedDay() {
    const [year, month, day] = (dateInput.value || dateValue(new Date())).split('-').map(Number);
    const start = new Date(year, month - 1, day);
    return [start.getTime(), new Date(year, month - 1, day + 1).getTime()];
  }

  /** Milliseconds of `items` within the day. */
  function withinDay(items) {
    return items.reduce((sum, item) => sum + Math.max(0, Math.min(item.endMs, dayEnd) - Math.max(item.startMs, dayStart)), 0);
  }

  async function load() {
    if (!camera) return;
    controller?.abort();
    controller = new AbortController();
    const { signal } = controller;
    [dayStart, dayEnd] = selectedDay();
    line.setDay(dayStart, dayEnd);
    timeline.setAttribute('aria-busy', 'true');
    message(notice, 'info', '');
    try {
      const answer = await context.api.get(`/api/cameras/${encodeURIComponent(camera.id)}/recordings`, {
        query: { from: isoUTC(dayStart), to: isoUTC(dayEnd) }, signal,
      });
      if (signal.aborted) return;
      const ranges = times(answer?.ranges);
      const gaps = times(answer?.gaps);
      unavailable = times(answer?.unavailable);
      const playing = segments[current]?.id;
      segments = times(answer?.segments);
      current = playing ? segments.findIndex((segment) => segment.id === playing) : -1;
      // The open segment may start a moment before the last closed one ends: count that once.
      const [open] = times(answer?.recordingNow ? [answer.recordingNow] : []);
      const lastEnd = ranges.length ? ranges[ranges.length - 1].endMs : -Infinity;
      recordingNow = open && open.endMs > lastEnd ? { startMs: Math.max(open.startMs, lastEnd), endMs: open.endMs } : null;
      line.draw(ranges, gaps, recordingNow, unavailable);
      const recorded = withinDay(ranges) + withinDay(recordingNow ? [recordingNow] : []);
      const away = withinDay(unavailable);
      const awayNodes = [...new Set(unavailable.map((part) => part.node))].join(', ');
      summary.dataset.recordedSeconds = String(Math.floor(recorded / 1000));
      replace(summary, bi('녹화', 'recorded'), ` ${spanText(recorded)} · `,
        `${segments.length} `, bi('구간', 'segments'), ` · ${gaps.length} `, bi('공백', 'outages'),
        recordingNow ? [' · ', h('span', { class: 'recording-now' }, bi('● 녹화 중', 'recording now'))] : null,
        away > 0 ? [' · ', h('span', { class: 'playback-unavailable' }, `${spanText(away)} `, bi(`${awayNodes} 노드 중단으로 재생 불가`, `unavailable on node ${awayNodes}`))] : null);
      if (!segments.length && !recordingNow) message(notice, 'warn', '이 날은 녹화된 영상이 없습니다 · Nothing was recorded on this day');
      updateButtons();
      updateClock();
    } catch (error) {
      if (error?.name === 'AbortError') return;
      segments = [];
      unavailable = [];
      recordingNow = null;
      line.draw([], []);
      delete summary.dataset.recordedSeconds;
      replace(summary, '');
      message(notice, 'error', errorText(error));
    } finally {
      if (!signal.aborted) timeline.removeAttribute('aria-busy');
    }
  }

  function choose(value, at = null) {
    const changed = camera?.id !== String(value.id);
    camera = { ...value, id: String(value.id) };
    picker.setSelected(camera.id);
    exporter.setCamera(camera);
    replace(cameraName, h('strong', null, text(cameraLabel(camera))), ' ', h('span', { class: 'muted' }, cameraDetail(camera)));
    if (changed) stopVideo();
    if (at !== null) dateInput.value = dateValue(new Date(at));
    load().then(() => {
      if (at !== null) playAt(at);
    });
  }

  /** Index of the last segment starting at or before `ms`, or -1. */
  function segmentBefore(ms) {
    let low = 0;
    let high = segments.length - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (segments[middle].startMs <= ms) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  }

  function playAt(ms) {
    if (recordingNow && ms >= recordingNow.startMs && (!segments.length || ms >= segments[segments.length - 1].endMs)) {
      message(notice, 'info', `${clock(ms)}는 지금 녹화 중인 구간입니다. 구간이 닫히면 재생할 수 있습니다 · Still being recorded; it plays once its segment closes (within a segment length)`);
      return;
    }
    if (!segments.length) return;
    const index = segmentBefore(ms);
    if (index !== -1 && ms < segments[index].endMs) {
      message(notice, 'info', '');
      playSegment(index, (ms - segments[index].startMs) / 1000);
    } else if (index + 1 < segments.length) {
      message(notice, 'info', `${clock(ms)}에는 녹화가 없어 다음 녹화(${clock(segments[index + 1].startMs)})부터 재생합니다 · Nothing recorded at ${clock(ms)}; playing from the next recording`);
      playSegment(index + 1, 0);
    } else {
      message(notice, 'warn', `${clock(ms)} 이후로는 녹화가 없습니다 · Nothing recorded after ${clock(ms)}`);
    }
  }

  function playSegment(index, offset) {
    const segment = segments[index];
    if (!segment) return;
    const away = unavailable.find((part) => segment.startMs < part.endMs && segment.endMs > part.startMs && part.node === segment.node);
    if (away) {
      message(notice, 'warn', `${clock(segment.startMs)} 영상은 ${away.node} 노드에 있고, 그 노드가 멈춰 지금 재생할 수 없습니다. 녹화는 남아 있으며 노드가 돌아오면 재생됩니다 · Unavailable on node ${away.node} (${away.reason}): recorded, not lost; it plays once that node is back`);
      return;
    }
    current = index;
    stageHint.hidden = true;
    pendingOffset = offset > 0.05 ? offset : null;
    video.dataset.segment = segment.id;
    video.src = `/api/segments/${encodeURIComponent(segment.id)}/video`;
    video.play().catch(() => {}); // plays once loaded; the seek waits for loadedmetadata
    // A camera with privacy masks is served as a masked copy, made on first request.
    clearTimeout(slowLoad);
    slowLoad = setTimeout(() => {
      if (current === index && video.readyState < 1) {
        message(notice, 'info', '불러오는 중… 사생활 보호 영역을 가리는 중이면 몇 초 걸립니다 · Loading… a masked copy takes a few seconds the first time');
        loadingShown = true;
      }
    }, 1_000);
    updateButtons();
    updateClock(segment.startMs + (offset || 0) * 1000);
  }

  function stopVideo() {
    video.pause();
    video.removeAttribute('src');
    delete video.dataset.segment;
    video.load();
    current = -1;
    pendingOffset = null;
    stageHint.hidden = false;
    updateButtons();
    updateClock();
  }

  function updateButtons() {
    previous.disabled = !segments.length || current === 0;
    next.disabled = !segments.length || current === segments.length - 1;
  }

  /** The moment being played (ms), or null when nothing is. */
  function playedTime() {
    const segment = segments[current];
    if (!segment) return null;
    const ms = segment.startMs + (pendingOffset ?? video.currentTime) * 1000;
    return Number.isFinite(ms) ? ms : null;
  }

  function updateClock(at) {
    const ms = at ?? playedTime();
    if (ms === null || !Number.isFinite(ms)) {
      shownTime.textContent = '—';
      line.setCursor(null);
      return;
    }
    shownTime.textContent = formatTime(ms);
    line.setCursor(ms);
  }

  video.addEventListener('loadedmetadata', () => {
    clearTimeout(slowLoad);
    if (loadingShown) {
      loadingShown = false;
      message(notice, 'info', '');
    }
    if (pendingOffset !== null) {
      video.currentTime = pendingOffset;
      pendingOffset = null;
    }
    video.play().catch(() => {});
  });
  video.addEventListener('timeupdate', () => updateClock());
  video.addEventListener('ended', async () => {
    if (current + 1 < segments.length) {
      playSegment(current + 1, 0);
      return;
    }
    if (Date.now() < dayEnd) {
      // Today: the recorder may have finished another segment meanwhile.
      const last = segments[current]?.id;
      await load();
      const index = segments.findIndex((segment) => segment.id === last);
      if (index !== -1 && index + 1 < segments.length) {
        playSegment(index + 1, 0);
        return;
      }
    }
    message(notice, 'info', '이 날의 마지막 녹화까지 재생했습니다 · Reached the last recording of the day');
  });
  video.addEventListener('error', () => {
    if (!video.getAttribute('src')) return;
    message(notice, 'error', '이 구간을 재생할 수 없습니다 (보존 기간이 지나 지워졌을 수 있음) · Cannot play this segment (it may have been deleted by retention); try Next');
  });

  const playSoon = debounce((ms) => playAt(ms), 400);
  timeline.addEventListener('keydown', (event) => {
    const steps = { ArrowLeft: -60_000, ArrowRight: 60_000, PageDown: -600_000, PageUp: 600_000 };
    if (!(event.key in steps) || !segments.length) return;
    event.preventDefault();
    const segment = segments[current];
    const now = segment ? segment.startMs + video.currentTime * 1000 : dayStart;
    const target = Math.min(dayEnd, Math.max(dayStart, now + steps[event.key]));
    updateClock(target);
    playSoon(target);
  });

  previous.addEventListener('click', () => {
    if (current === -1) playSegment(segments.length - 1, 0);
    else if (current > 0) playSegment(current - 1, 0);
  });
  next.addEventListener('click', () => {
    if (current + 1 < segments.length) playSegment(current + 1, 0);
  });
  function shiftDay(days) {
    const [start] = selectedDay();
    const date = new Date(start);
    date.setDate(date.getDate() + days);
    dateInput.value = dateValue(date);
    stopVideo();
    load();
  }
  previousDay.addEventListener('click', () => shiftDay(-1));
  nextDay.addEventListener('click', () => shiftDay(1));
  today.addEventListener('click', () => {
    dateInput.value = dateValue(new Date());
    stopVideo();
    load();
  });
  dateInput.addEventListener('change', () => {
    if (!dateInput.value) return;
    stopVideo();
    load();
  });
  reload.addEventListener('click', () => load());

  /** `#playback?camera=ID&at=ISO`: opens that camera (and moment). */
  let followedHash = null;
  async function followHash() {
    if (location.hash === followedHash) return; // app.js's router and this listener both hear a change
    followedHash = location.hash;
    const query = location.hash.split('?')[1];
    if (!query) return;
    const params = new URLSearchParams(query);
    const id = params.get('camera');
    const at = Date.parse(params.get('at') || '');
    if (!id) return;
    if (camera?.id === id && !Number.isFinite(at)) return;
    try {
      const found = await context.api.get(`/api/cameras/${encodeURIComponent(id)}`);
      choose(found, Number.isFinite(at) ? at : null);
    } catch (error) {
      message(notice, 'error', error instanceof ApiError && error.status === 404
        ? `카메라를 찾을 수 없습니다 · No such camera (${errorText(error)})` : errorText(error));
    }
  }
  function onHashChange() {
    if (shown) followHash();
  }
  window.addEventListener('hashchange', onHashChange);

  [dayStart, dayEnd] = selectedDay();
  line.setDay(dayStart, dayEnd);
  updateButtons();

  return {
    el,
    show() {
      shown = true;
      if (!loadedOnce) {
        loadedOnce = true;
        picker.load();
      }
      followHash();
    },
    hide() {
      shown = false;
      followedHash = null;
      video.pause();
    },
    destroy() {
      shown = false;
      clearTimeout(slowLoad);
      controller?.abort();
      picker.destroy();
      window.removeEventListener('hashchange', onHashChange);
      stopVideo();
    },
  };
}
