// The playback view's timeline of one day: recorded ranges, outages and the segment being
// recorded now, with hour ticks, a cursor at the moment playing and the time under the pointer.
// It zooms from the whole day down to a minute (the − / + buttons, the mouse wheel at the
// pointer, or the - / + keys) and pans while zoomed (◀ ▶ or shift + wheel); the ticks follow
// the zoom (hours, then minutes, then seconds).
//
// Test hooks: #timeline[data-view-start][data-view-end] (ISO, what is shown) and data-span
// (milliseconds shown); .range, .range-open (being recorded), .gap, .range-unavailable[data-node]
// (recorded on a cluster node that is down now); .tick span (labels);
// #timeline-zoom-in, #timeline-zoom-out, #timeline-zoom-day, #timeline-earlier,
// #timeline-later; #timeline-span (the span in words).

import { bi, h, isoUTC, replace } from './dom.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** What the zoom steps through, widest first (after the whole day). */
const SPANS = [12 * HOUR, 6 * HOUR, 3 * HOUR, HOUR, 30 * MINUTE, 10 * MINUTE, 5 * MINUTE, 2 * MINUTE, MINUTE];
/** Tick spacings; the finest that keeps at most 24 ticks in view is used. */
const TICK_STEPS = [HOUR, 30 * MINUTE, 10 * MINUTE, 5 * MINUTE, MINUTE, 30 * SECOND, 10 * SECOND, 5 * SECOND];

function pad(number) {
  return String(number).padStart(2, '0');
}

/** ms → "HH:MM:SS" in local time. */
export function clock(ms) {
  const date = new Date(ms);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** A span of time in words: "42초 · 42 s", "2분 05초 · 2 min 05 s", "3시간 07분 · 3 h 07 min". */
export function spanText(ms) {
  const seconds = Math.max(0, Math.floor(ms / SECOND));
  if (seconds < 60) return `${seconds}초 · ${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}분 ${pad(seconds % 60)}초 · ${minutes} min ${pad(seconds % 60)} s`;
  const hours = Math.floor(minutes / 60);
  return `${hours}시간 ${pad(minutes % 60)}분 · ${hours} h ${pad(minutes % 60)} min`;
}

/** Options: `onPick(ms)` when the timeline is clicked. */
export function createTimeline({ onPick }) {
  const cursor = h('div', { class: 'timeline-cursor', hidden: true });
  const hover = h('div', { class: 'timeline-hover', hidden: true });
  const timeline = h('div', {
    id: 'timeline', class: 'timeline', tabindex: '0', role: 'slider',
    'aria-label': '녹화 타임라인 Recording timeline', 'aria-valuemin': '0', 'aria-valuemax': '86400', 'aria-valuenow': '0',
  });
  const button = (id, title, label) => h('button', { type: 'button', id, class: 'button-small', title }, label);
  const zoomOut = button('timeline-zoom-out', '넓게 보기 Zoom out (-)', '−');
  const zoomIn = button('timeline-zoom-in', '좁게 보기 Zoom in (+, 휠 wheel)', '+');
  const wholeDay = button('timeline-zoom-day', '하루 전체 Whole day', '24h');
  const earlier = button('timeline-earlier', '앞으로 Earlier', '◀');
  const later = button('timeline-later', '뒤로 Later', '▶');
  const span = h('span', { id: 'timeline-span', class: 'summary' });
  const el = h('div', { class: 'timeline-block' },
    h('div', { class: 'button-row timeline-zoom' }, bi('확대', 'Zoom'), zoomOut, zoomIn, wholeDay, earlier, later, span),
    timeline);

  let dayStart = 0;
  let dayEnd = 0;
  let viewStart = 0;
  let viewEnd = 0;
  let drawn = { ranges: [], gaps: [], open: null, unavailable: [] };
  let cursorAt = null;

  function fraction(ms) {
    return Math.min(1, Math.max(0, (ms - viewStart) / (viewEnd - viewStart)));
  }

  function timeAtPointer(event) {
    const box = timeline.getBoundingClientRect();
    return viewStart + Math.min(1, Math.max(0, (event.clientX - box.left) / box.width)) * (viewEnd - viewStart);
  }

  function bar(kind, item, title) {
    if (item.endMs <= viewStart || item.startMs >= viewEnd) return null;
    const left = fraction(item.startMs);
    return h('div', {
      class: kind,
      style: { left: `${(left * 100).toFixed(4)}%`, width: `${((fraction(item.endMs) - left) * 100).toFixed(4)}%` },
      title: `${title} ${clock(item.startMs)}–${clock(item.endMs)}`,
    });
  }

  function ticks() {
    const shown = viewEnd - viewStart;
    const step = TICK_STEPS.findLast((candidate) => shown / candidate <= 24) ?? TICK_STEPS[0];
    const hourly = step >= HOUR;
    const labelEvery = hourly || shown / step <= 12 ? 1 : 2;
    const withSeconds = (step * labelEvery) % MINUTE !== 0;
    const list = [];
    for (let k = Math.ceil((viewStart - dayStart) / step); dayStart + k * step <= viewEnd; k += 1) {
      const at = dayStart + k * step;
      // No label at the very right edge, where it would hang out of the timeline.
      const labelled = k % labelEvery === 0 && at < dayEnd && fraction(at) < 0.985;
      const text = hourly ? pad(new Date(at).getHours()) : clock(at).slice(0, withSeconds ? 8 : 5);
      list.push(h('div', {
        class: `tick${(hourly ? k % 6 === 0 : labelled) ? ' tick-major' : ''}`, style: { left: `${(fraction(at) * 100).toFixed(4)}%` },
      }, labelled ? h('span', null, text) : null));
    }
    return list;
  }

  function render() {
    timeline.dataset.viewStart = isoUTC(viewStart);
    timeline.dataset.viewEnd = isoUTC(viewEnd);
    timeline.dataset.span = String(viewEnd - viewStart);
    replace(span, spanText(viewEnd - viewStart));
    const whole = viewStart <= dayStart && viewEnd >= dayEnd;
    zoomOut.disabled = whole;
    wholeDay.disabled = whole;
    zoomIn.disabled = viewEnd - viewStart <= SPANS[SPANS.length - 1];
    earlier.disabled = viewStart <= dayStart;
    later.disabled = viewEnd >= dayEnd;
    replace(timeline,
      drawn.ranges.map((range) => bar('range', range, '녹화 Recorded')),
      drawn.open ? bar('range range-open', drawn.open, '녹화 중 (구간이 닫히면 재생) · Being recorded (plays once its segment closes)') : null,
      drawn.gaps.map((gap) => bar('gap', gap, '녹화 공백 Outage')),
      drawn.unavailable.map((part) => {
        const el = bar('range-unavailable', part, `${part.node} 노드가 멈춰 지금 재생할 수 없음 (녹화는 남아 있음) · Unavailable on node ${part.node}, which is down (recorded, not lost):`);
        if (el) el.dataset.node = part.node;
        return el;
      }),
      ticks(), cursor, hover);
    placeCursor();
  }

  function placeCursor() {
    cursor.hidden = cursorAt === null || cursorAt < viewStart || cursorAt > viewEnd;
    if (!cursor.hidden) cursor.style.left = `${(fraction(cursorAt) * 100).toFixed(4)}%`;
  }

  /** Shows `width` ms of the day with `at` staying where it is on screen (at `share` of the width). */
  function show(width, at, share) {
    const full = dayEnd - dayStart;
    const clamped = Math.min(full, width);
    viewStart = Math.min(dayEnd - clamped, Math.max(dayStart, at - share * clamped));
    viewEnd = viewStart + clamped;
    render();
  }

  /** Zooms one step in (`direction` 1) or out (-1) around `at` (default: the cursor, else the middle). */
  function zoom(direction, at = null) {
    const width = viewEnd - viewStart;
    const spans = [dayEnd - dayStart, ...SPANS];
    const next = direction > 0 ? spans.find((candidate) => candidate < width - 1) : spans.findLast((candidate) => candidate > width + 1);
    if (next === undefined) return;
    const centre = at ?? (cursorAt !== null && cursorAt >= viewStart && cursorAt <= viewEnd ? cursorAt : (viewStart + viewEnd) / 2);
    show(next, centre, (centre - viewStart) / width);
  }

  function pan(direction) {
    const width = viewEnd - viewStart;
    show(width, viewStart + direction * width / 2, 0);
  }

  zoomIn.addEventListener('click', () => zoom(1));
  zoomOut.addEventListener('click', () => zoom(-1));
  wholeDay.addEventListener('click', () => show(dayEnd - dayStart, dayStart, 0));
  earlier.addEventListener('click', () => pan(-1));
  later.addEventListener('click', () => pan(1));
  timeline.addEventListener('wheel', (event) => {
    event.preventDefault();
    if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) pan(Math.sign(event.deltaX || event.deltaY));
    else if (event.deltaY !== 0) zoom(event.deltaY < 0 ? 1 : -1, timeAtPointer(event));
  }, { passive: false });
  timeline.addEventListener('keydown', (event) => {
    if (event.key === '+' || event.key === '=') zoom(1);
    else if (event.key === '-') zoom(-1);
    else return;
    event.preventDefault();
  });
  timeline.addEventListener('click', (event) => onPick(timeAtPointer(event)));
  timeline.addEventListener('mousemove', (event) => {
    const ms = timeAtPointer(event);
    hover.hidden = false;
    hover.textContent = clock(ms);
    hover.style.left = `${(fraction(ms) * 100).toFixed(4)}%`;
  });
  timeline.addEventListener('mouseleave', () => {
    hover.hidden = true;
  });

  return {
    el,
    /** The element that takes keys and clicks (the playback view adds its arrow keys). */
    element: timeline,
    /** Shows the day `start`–`end` (ms); the same day keeps its zoom. */
    setDay(start, end) {
      const sameDay = start === dayStart && end === dayEnd;
      dayStart = start;
      dayEnd = end;
      if (!sameDay) {
        viewStart = start;
        viewEnd = end;
      }
      render();
    },
    /**
     * Draws `ranges`, `gaps` (each `{startMs, endMs}`), `open`, the stretch being recorded (or
     * null), and `unavailable`, stretches recorded on a cluster node that is down (`{startMs,
     * endMs, node}`).
     */
    draw(ranges, gaps, open = null, unavailable = []) {
      drawn = { ranges, gaps, open, unavailable };
      render();
    },
    /** Puts the cursor at `ms` (null hides it); a zoomed view follows it off screen. */
    setCursor(ms) {
      cursorAt = ms;
      if (ms !== null) {
        timeline.setAttribute('aria-valuenow', String(Math.round((ms - dayStart) / 1000)));
        timeline.setAttribute('aria-valuetext', clock(ms));
      }
      const offScreen = ms !== null && (ms < viewStart || ms > viewEnd) && ms >= dayStart && ms <= dayEnd;
      if (offScreen && viewEnd - viewStart < dayEnd - dayStart) show(viewEnd - viewStart, ms, 0.5);
      else placeCursor();
    },
  };
}
