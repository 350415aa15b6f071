// The camera register: GET /api/cameras?q=&purpose=&offset=&limit=100, paged on the server.
// A click on a row (or its address) opens the camera's detail row (cameradetail.js).

import { ApiError, errorText } from './api.js';
import { bi, debounce, formatInteger, h, message, replace, text } from './dom.js';
import { createCameraDetail } from './cameradetail.js';
import { cameraLabel } from './camerapicker.js';
import { createRetaskingSummary, effectivePurposeLabel } from './retasking.js';

const PAGE_SIZE = 100;

export function createCamerasView(context) {
  const isAdministrator = context.can(['administrator']);
  const search = h('input', {
    type: 'search', id: 'camera-search', name: 'q', autocomplete: 'off',
    placeholder: '주소, 관리기관, 촬영방면 · address, agency, view direction',
  });
  const purposeSelect = h('select', { id: 'camera-purpose', name: 'purpose' },
    h('option', { value: '' }, '전체 용도 · All purposes'));
  const summary = h('p', { class: 'summary', role: 'status' });
  const previous = h('button', { type: 'button' }, bi('이전', 'Previous'));
  const next = h('button', { type: 'button' }, bi('다음', 'Next'));
  const problem = h('p', { hidden: true });
  const body = h('tbody');
  const table = h('table', { class: 'data', id: 'camera-table' },
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, bi('카메라 (주소)', 'Camera (address)')),
      h('th', { scope: 'col' }, bi('용도', 'Purpose')),
      h('th', { scope: 'col' }, bi('관리기관', 'Agency')),
      h('th', { scope: 'col' }, bi('촬영방면', 'View direction')),
      h('th', { scope: 'col', class: 'number' }, bi('화소', 'Pixels')),
      h('th', { scope: 'col', class: 'number' }, bi('보관일수', 'Retention days')),
      h('th', { scope: 'col' }, bi('설치', 'Installed')),
      h('th', { scope: 'col' }, bi('사용', 'Enabled')))),
    body);

  const canExport = context.can(['administrator', 'privacyOfficer']);
  const el = h('section', { class: 'panel', 'aria-labelledby': 'cameras-title' },
    h('div', { class: 'view-head' },
      h('h1', { id: 'cameras-title' }, bi('카메라', 'Cameras')),
      canExport
        ? h('p', { class: 'export-links' }, bi('내보내기', 'Export'), ': ',
          h('a', { href: '/api/registry/export?format=csv', download: '' }, 'CSV'), ' · ',
          h('a', { href: '/api/registry/export?format=geojson', download: '' }, 'GeoJSON'))
        : null,
      createRetaskingSummary(context)),
    h('form', { class: 'toolbar', role: 'search', on: { submit: (event) => { event.preventDefault(); reload(); } } },
      h('label', { for: 'camera-search', class: 'visually-hidden' }, '검색 Search'),
      search,
      h('label', { for: 'camera-purpose', class: 'visually-hidden' }, '용도 Purpose'),
      purposeSelect,
      h('span', { class: 'spacer' }),
      summary,
      previous,
      next),
    problem,
    h('div', { class: 'table-wrap' }, table));

  let purposes = null;
  let offset = 0;
  let total = 0;
  let controller = null;
  let loaded = false;
  /** The open detail row (one at a time, right under its camera's row). */
  let openDetail = null;

  function reload() {
    offset = 0;
    load();
  }

  async function load() {
    controller?.abort();
    controller = new AbortController();
    const { signal } = controller;
    table.setAttribute('aria-busy', 'true');
    previous.disabled = true;
    next.disabled = true;
    try {
      purposes = purposes || await context.getPurposes();
      const answer = await context.api.get('/api/cameras', {
        query: { q: search.value.trim(), purpose: purposeSelect.value, offset, limit: PAGE_SIZE },
        signal,
      });
      if (signal.aborted) return;
      message(problem, 'error', '');
      render(answer);
    } catch (error) {
      if (error?.name === 'AbortError') return;
      message(problem, 'error', errorText(error));
      replace(summary, '');
      previous.disabled = offset === 0;
    } finally {
      if (!signal.aborted) table.removeAttribute('aria-busy');
    }
  }

  function render(answer) {
    openDetail = null;
    const items = Array.isArray(answer?.items) ? answer.items : [];
    total = Number.isFinite(answer?.total) ? answer.total : items.length;
    offset = Number.isFinite(answer?.offset) ? answer.offset : offset;
    const first = items.length ? offset + 1 : 0;
    replace(summary, `${formatInteger(first)}–${formatInteger(offset + items.length)} / `, bi('총', 'total'), ` ${formatInteger(total)}`);
    previous.disabled = offset === 0;
    next.disabled = offset + items.length >= total;
    replace(body, items.length
      ? items.map(row)
      : h('tr', null, h('td', { colspan: '8', class: 'empty' }, bi('결과 없음', 'No cameras match'))));
  }

  function row(camera) {
    const address = camera.roadAddress || camera.lotAddress;
    const lot = camera.roadAddress && camera.lotAddress && camera.lotAddress !== camera.roadAddress ? camera.lotAddress : null;
    const opener = h('button', { type: 'button', class: 'link-button camera-open', 'aria-expanded': 'false' }, text(cameraLabel(camera)));
    const tr = h('tr', { class: camera.enabled === false ? 'row-disabled camera-row' : 'camera-row', dataset: { camera: String(camera.id) } },
      h('td', { title: [address, lot ? `지번 Lot: ${lot}` : null].filter(Boolean).join(' · ') || null }, opener),
      h('td', { class: 'camera-purpose' }, effectivePurposeLabel(purposes, camera)),
      h('td', null, text(camera.agency)),
      h('td', null, text(camera.viewDirection)),
      h('td', { class: 'number' }, formatInteger(camera.pixels)),
      h('td', { class: 'number' }, formatInteger(camera.retentionDays)),
      h('td', null, text(camera.installYearMonth)),
      h('td', null, enabledCell(camera)));
    tr.camera = camera;
    return tr;
  }

  function closeDetail() {
    if (!openDetail) return;
    openDetail.row.previousElementSibling?.querySelector('.camera-open')?.setAttribute('aria-expanded', 'false');
    openDetail.row.remove();
    openDetail = null;
  }

  function toggleDetail(tr) {
    const wasOpen = openDetail?.row.previousElementSibling === tr;
    closeDetail();
    if (wasOpen) return;
    const detail = createCameraDetail(context, tr.camera, {
      colspan: 8,
      onClose: closeDetail,
      onUpdated: (updated) => {
        tr.camera = { ...tr.camera, ...updated, retasking: updated.retasking ?? null };
        tr.querySelector('.camera-purpose')?.replaceChildren(effectivePurposeLabel(purposes, tr.camera));
      },
    });
    tr.after(detail.row);
    tr.querySelector('.camera-open')?.setAttribute('aria-expanded', 'true');
    openDetail = detail;
  }

  body.addEventListener('click', (event) => {
    const tr = event.target.closest('tr.camera-row');
    if (!tr || !tr.camera) return;
    if (event.target.closest('button:not(.camera-open), a, input, select')) return;
    toggleDetail(tr);
  });

  function enabledCell(camera) {
    const label = camera.enabled === false ? bi('아니오', 'No') : bi('예', 'Yes');
    if (!isAdministrator) return h('span', { class: camera.enabled === false ? 'flag-off' : 'flag-on' }, label);
    const button = h('button', {
      type: 'button',
      class: `button-small ${camera.enabled === false ? 'flag-off' : 'flag-on'}`,
      title: camera.enabled === false ? '켜기 Enable' : '끄기 Disable',
      'aria-pressed': camera.enabled === false ? 'false' : 'true',
    }, label);
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        const updated = await context.api.patch(`/api/cameras/${encodeURIComponent(camera.id)}`, { enabled: camera.enabled === false });
        const old = button.closest('tr');
        const fresh = row({ ...camera, ...updated });
        const detailOpen = openDetail?.row.previousElementSibling === old;
        old.replaceWith(fresh);
        if (detailOpen) fresh.querySelector('.camera-open')?.setAttribute('aria-expanded', 'true');
      } catch (error) {
        message(problem, 'error', error instanceof ApiError ? errorText(error) : String(error));
        button.disabled = false;
      }
    });
    return button;
  }

  search.addEventListener('input', debounce(reload, 300));
  purposeSelect.addEventListener('change', reload);
  previous.addEventListener('click', () => {
    offset = Math.max(0, offset - PAGE_SIZE);
    load();
  });
  next.addEventListener('click', () => {
    if (offset + PAGE_SIZE < total) {
      offset += PAGE_SIZE;
      load();
    }
  });

  async function fillPurposes() {
    try {
      purposes = await context.getPurposes();
      for (const purpose of purposes.list) {
        purposeSelect.appendChild(h('option', { value: purpose.code }, `${purpose.name} · ${purpose.nameEnglish}`));
      }
    } catch (error) {
      message(problem, 'error', errorText(error));
    }
  }

  return {
    el,
    show() {
      if (!loaded) {
        loaded = true;
        fillPurposes().then(load);
      }
    },
    destroy() {
      controller?.abort();
    },
  };
}
