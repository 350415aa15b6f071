// The search view's answer: the summary line (how many episodes, how long, what was read) and one
// card per episode — the recorded frame at its moment (loaded lazily: every frame is an ffmpeg run
// and an audit record), the camera, the time in Korean time, how long it lasted, the classes seen,
// and a link that opens playback at the moment.
//
// Test hooks: #search-summary[data-total]; #search-results holding .search-episode[data-camera]
// [data-moment] with a.search-play; #search-previous, #search-next, #search-page.

import { bi, formatInteger, formatKST, h, KST_OFFSET_MS, replace, text } from './dom.js';
import { classesText } from './labels.js';
import { cameraLabel } from './camerapicker.js';

/** Milliseconds since 1970 → "YYYY-MM-DDTHH:MM" in Korean time (a datetime-local input's value). */
export function kstInputValue(ms) {
  return new Date(ms + KST_OFFSET_MS).toISOString().slice(0, 16);
}

/** A datetime-local value read as Korean time → milliseconds since 1970, or NaN. */
export function kstInputTime(value) {
  const parts = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value || '');
  if (!parts) return Number.NaN;
  const [, year, month, day, hour, minute, second] = parts.map(Number);
  return Date.UTC(year, month - 1, day, hour, minute, second || 0) - KST_OFFSET_MS;
}

/** Seconds → "8초 s", "2분 5초 · 2 min 5 s". */
function durationText(seconds) {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole}초 · ${whole} s`;
  const minutes = Math.floor(whole / 60);
  return `${minutes}분 ${whole % 60}초 · ${minutes} min ${whole % 60} s`;
}

/** The classes of an episode's tracks (one entry a track): "사람 person ×3, 승용차 car". */
function objectsText(classes) {
  const counts = new Map();
  for (const code of classes) counts.set(code, (counts.get(code) || 0) + 1);
  return [...counts].map(([code, count]) => `${classesText([code])}${count > 1 ? ` ×${count}` : ''}`).join(', ');
}

/** The `#playback?…` hash of an episode (the server's, or made from its camera and moment). */
function playbackHash(episode) {
  if (typeof episode.playbackURL === 'string' && episode.playbackURL.startsWith('#playback?')) return episode.playbackURL;
  return `#playback?camera=${encodeURIComponent(episode.cameraId)}&at=${encodeURIComponent(episode.moment)}`;
}

/**
 * Returns `{el, show(answer, offset, limit), clear(), busy(flag)}`; `onPage(offset)` is asked for
 * another page. Camera names come from `GET /api/cameras/:id`, once per camera.
 */
export function createSearchResults(context, { onPage, onExport }) {
  const summary = h('p', { id: 'search-summary', class: 'search-summary', role: 'status' });
  const exportButton = h('button', { type: 'button', id: 'search-export', class: 'button-small', hidden: true,
    title: '모든 결과를 CSV 파일로 (최대 10,000건) · Every episode as a CSV file (up to 10,000)' }, bi('CSV 내보내기', 'Export CSV'));
  const list = h('ol', { id: 'search-results', class: 'search-results', 'aria-label': '검색 결과 Search results' });
  const previous = h('button', { type: 'button', id: 'search-previous', disabled: true }, bi('◀ 이전', 'Previous'));
  const next = h('button', { type: 'button', id: 'search-next', disabled: true }, bi('다음', 'Next ▶'));
  const page = h('span', { id: 'search-page', class: 'summary' });
  const pager = h('div', { class: 'button-row search-pager', hidden: true }, previous, page, next);
  const el = h('div', { class: 'search-answer' }, h('div', { class: 'button-row' }, summary, exportButton), list, pager);
  const names = new Map(); // camera id → Promise<label>
  let offset = 0;
  let limit = 50;
  let total = 0;

  function cameraName(id) {
    if (!names.has(id)) names.set(id, context.api.get(`/api/cameras/${encodeURIComponent(id)}`).then(cameraLabel, () => String(id)));
    return names.get(id);
  }

  function episodeCard(episode) {
    const at = formatKST(episode.moment);
    const hash = playbackHash(episode);
    const name = h('strong', { class: 'search-episode-camera' }, text(episode.cameraId));
    const picture = h('img', { src: episode.thumbnailURL, loading: 'lazy', decoding: 'async', width: '320', height: '180', alt: `${at} 장면 frame` });
    const frame = h('a', { href: hash, class: 'search-thumb', tabindex: '-1', 'aria-hidden': 'true' }, picture);
    picture.addEventListener('error', () => replace(frame, h('span', { class: 'search-thumb-none' }, h('span', null, bi('녹화 사진 없음', 'No recorded frame')))), { once: true });
    cameraName(episode.cameraId).then((label) => {
      name.textContent = label;
      picture.alt = `${label} ${at}`;
    });
    const seconds = (Date.parse(episode.end) - Date.parse(episode.start)) / 1000;
    return h('li', { class: 'search-episode', dataset: { camera: String(episode.cameraId), moment: String(episode.moment) } },
      frame,
      h('div', { class: 'search-episode-text' },
        h('p', null, name),
        h('p', { class: 'search-episode-time' }, h('time', { datetime: episode.moment }, at), ' KST'),
        h('p', { class: 'muted' }, `${formatKST(episode.start).slice(11)}–${formatKST(episode.end).slice(11)} · ${durationText(seconds)}`),
        episode.classes?.length ? h('p', null, objectsText(episode.classes)) : null,
        h('a', { href: hash, class: 'button-link search-play' }, '▶ ', bi(`${at.slice(11)} 재생`, 'Play'))));
  }

  previous.addEventListener('click', () => onPage(Math.max(0, offset - limit)));
  exportButton.addEventListener('click', async () => {
    exportButton.disabled = true;
    try {
      await onExport();
    } finally {
      exportButton.disabled = false;
    }
  });
  next.addEventListener('click', () => onPage(offset + limit));

  return {
    el,
    /** Shows a page of `POST /api/search`'s answer. */
    show(answer, pageOffset, pageLimit) {
      offset = pageOffset;
      limit = pageLimit;
      total = Number.isFinite(answer?.total) ? answer.total : 0;
      const episodes = Array.isArray(answer?.episodes) ? answer.episodes : [];
      const reads = answer?.reads || {};
      summary.dataset.total = String(total);
      replace(summary,
        answer?.kind === 'objects' ? bi('물체', 'Objects') : bi('움직임', 'Motion'), ' · ',
        h('strong', null, formatInteger(total)), ' ', bi('건', 'episodes'), ' · ',
        `${(answer?.milliseconds ?? 0).toFixed(1)} ms · `,
        formatInteger(answer?.cameras ?? 0), ' ', bi('카메라', 'cameras'), ' · ',
        bi('읽음', 'read'), `: ${formatInteger(reads.hours ?? 0)} `, bi('시간', 'hours'), `, ${formatInteger(reads.minutes ?? 0)} `,
        bi('분', 'minutes'), `, ${formatInteger(reads.tracks ?? 0)} `, bi('트랙', 'tracks'));
      replace(list, episodes.length ? episodes.map(episodeCard) : h('li', { class: 'muted search-empty' }, bi('찾은 것이 없습니다', 'Nothing found')));
      pager.hidden = total <= limit && offset === 0;
      exportButton.hidden = total === 0;
      replace(page, episodes.length ? `${formatInteger(offset + 1)}–${formatInteger(offset + episodes.length)} / ${formatInteger(total)}` : '');
      previous.disabled = offset === 0;
      next.disabled = offset + episodes.length >= total;
    },
    clear() {
      delete summary.dataset.total;
      replace(summary);
      exportButton.hidden = true;
      replace(list);
      pager.hidden = true;
    },
    /** Dims the list while a search runs. */
    busy(flag) {
      if (flag) list.setAttribute('aria-busy', 'true');
      else list.removeAttribute('aria-busy');
      previous.disabled = flag || offset === 0;
      next.disabled = flag || offset + list.querySelectorAll('.search-episode').length >= total;
    },
  };
}
