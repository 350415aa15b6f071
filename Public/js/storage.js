// Storage tiers of this node (GET /api/storage): what the recordings folder (hot tier) and the
// shared archive hold, their disks, and how moves to the archive stand — shown at the top of the
// retention view, and as a view of its own for the maintenance team; refreshed while on screen.

import { errorText } from './api.js';
import { bi, formatInteger, formatTime, h, message, refreshWhileShown, replace, text } from './dom.js';

const STATE = {
  ok: ['badge-ok', '정상', 'Taking footage'],
  unavailable: ['badge-error', '사용 불가', 'Unavailable'],
  full: ['badge-error', '가득 참', 'Full'],
  unknown: ['badge-muted', '확인 전', 'Not looked at yet'],
  off: ['badge-muted', '이동 안 함', 'Not moving here'],
};

/** 1536 → "1.5 KiB". */
export function formatBytes(bytes) {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** Seconds → "3 h 20 min", "45 s". */
function formatSeconds(seconds) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h ${minutes % 60} min` : `${Math.round(hours / 24)} d`;
}

export function createStoragePanel(context) {
  const body = h('tbody');
  const problem = h('p', { hidden: true });
  const archiveLine = h('div', { id: 'storage-archive', class: 'stack' });
  const el = h('section', { id: 'storage-panel', 'aria-labelledby': 'storage-title' },
    h('h2', { id: 'storage-title' }, bi('저장소 계층', 'Storage tiers')),
    h('p', { class: 'hint' }, bi(
      '최근 영상은 녹화 폴더에, 오래된 영상은 공유 보관 저장소로 옮겨집니다. 보존 기간은 두 계층을 합쳐 셉니다.',
      'Recent footage is in the recordings folder; older footage moves to the shared archive. Retention counts across both.')),
    problem,
    archiveLine,
    h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', id: 'storage-table' },
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, bi('계층', 'Tier')),
        h('th', { scope: 'col', class: 'number' }, bi('구간', 'Segments')),
        h('th', { scope: 'col', class: 'number' }, bi('용량', 'Size')),
        h('th', { scope: 'col' }, bi('가장 오래된 영상', 'Oldest footage')),
        h('th', { scope: 'col', class: 'number' }, bi('디스크 여유', 'Disk free')),
        h('th', { scope: 'col' }, bi('폴더', 'Folder')))),
      body)));

  function tierRow(tier) {
    const name = tier.tier === 'archive' ? bi('보관 저장소', 'Archive') : bi('녹화 폴더', 'Recordings (hot)');
    const quota = typeof tier.quotaBytes === 'number' ? ` / ${formatBytes(tier.quotaBytes)}` : '';
    return h('tr', { dataset: { tier: tier.tier } },
      h('th', { scope: 'row' }, name),
      h('td', { class: 'number', dataset: { field: 'segments' } }, formatInteger(tier.segments)),
      h('td', { class: 'number' }, formatBytes(tier.bytes) + quota),
      h('td', { class: 'nowrap' }, tier.oldest ? formatTime(tier.oldest) : '—'),
      h('td', { class: 'number' }, typeof tier.diskFreePercent === 'number' ? `${tier.diskFreePercent.toFixed(1)} %` : '—'),
      h('td', null, h('code', null, text(tier.folder))));
  }

  function archiveSummary(storage) {
    const moving = storage.archive;
    if (!moving) {
      return h('p', { class: 'hint' }, bi('보관 저장소가 설정되지 않았습니다 (CITYWATCH_ARCHIVE_DIR)', 'No archive tier is configured (CITYWATCH_ARCHIVE_DIR)'));
    }
    const [badge, korean, english] = STATE[moving.state] ?? STATE.unknown;
    const lines = [
      h('p', null, bi('보관 저장소', 'Archive'), ': ',
        h('span', { class: `badge ${badge}`, id: 'storage-archive-state', dataset: { state: moving.state } }, bi(korean, english)),
        moving.reason ? h('span', { class: 'muted' }, ' — ', text(moving.reason)) : null),
      h('p', { class: 'hint' },
        bi('이동', 'Moved'), `: ${formatInteger(moving.moves)} (${formatBytes(moving.bytesMoved)})`,
        ' · ', bi('대기', 'Waiting'), `: `, h('span', { id: 'storage-due' }, formatInteger(moving.duePending)),
        ' · ', bi('지연', 'Lag'), `: ${formatSeconds(moving.lagSeconds)}`,
        moving.bytesPerSecond > 0 ? [' · ', bi('속도', 'Rate'), `: ${formatBytes(moving.bytesPerSecond)}/s`] : null,
        moving.failures > 0 ? [' · ', bi('실패', 'Failures'), `: ${formatInteger(moving.failures)}`] : null,
        ' · ', bi('이동 기준', 'Moves after'), `: ${storage.archiveAfterHours} h`),
    ];
    if (moving.state === 'unavailable' || moving.state === 'full') {
      lines.push(h('p', { class: 'hint' }, bi(
        '녹화는 녹화 폴더에서 계속됩니다. 보관 저장소가 돌아오면 이동이 다시 시작됩니다.',
        'Recording goes on in the recordings folder; moves start again when the archive is back.')));
    }
    return lines;
  }

  async function load() {
    try {
      const storage = await context.api.get('/api/storage');
      message(problem, 'error', '');
      replace(archiveLine, archiveSummary(storage));
      replace(body, (Array.isArray(storage.tiers) ? storage.tiers : []).map(tierRow));
    } catch (error) {
      message(problem, 'error', errorText(error));
    }
  }

  return { el, ...refreshWhileShown(load, 30_000) };
}

/** The panel as a view of its own (the maintenance team has no retention view). */
export function createStorageView(context) {
  const panel = createStoragePanel(context);
  const el = h('section', { class: 'panel', 'aria-labelledby': 'storage-view-title' },
    h('div', { class: 'view-head' }, h('h1', { id: 'storage-view-title' }, bi('저장소', 'Storage'))),
    panel.el);
  return { el, show: panel.show, hide: panel.hide, destroy: panel.destroy };
}
