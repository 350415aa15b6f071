// Evidence exports in the retention view (administrator, privacyOfficer): the exports the user
// may see (GET /api/exports), latest first, each kept until its date, one camera's only when
// filtered, and the early destruction of one whose purpose is met (DELETE /api/exports/:id with a
// reason; refused while a legal hold covers it).
//
// Test hooks: #exports-table (a row tr[data-export=ID] per export; a kept one has
// button[data-destroy=ID]), #export-destroy-form (#export-destroy-reason, #export-destroy-confirm,
// #export-destroy-cancel, #export-destroy-result), #exports-problem; the camera filter
// #exports-filter (details; its picker #exports-cameras-list li[data-camera=ID] button.camera-pick),
// #exports-filter-chosen, #exports-filter-clear; #exports-count, #exports-more.

import { errorText } from './api.js';
import { cameraLabel, createCameraPicker } from './camerapicker.js';
import { bi, formatInteger, formatTime, h, message, replace, text } from './dom.js';

/** Rows asked for at first and added by each "more" (the next page, GET ?after= the last shown). */
const PAGE = 100;

/** `cameraCell(id)` gives a table cell naming camera `id`. Returns `{ el, load() }`. */
export function createExportsPanel(context, { cameraCell }) {
  const body = h('tbody');
  const problem = h('p', { id: 'exports-problem', hidden: true });
  const reason = h('input', { type: 'text', id: 'export-destroy-reason', maxlength: '500', autocomplete: 'off',
    placeholder: '예: 경찰 제공 완료, 사건 종결 · e.g. provided to the police, case closed' });
  const title = h('p', null);
  const result = h('p', { id: 'export-destroy-result', hidden: true });
  const confirm = h('button', { type: 'submit', id: 'export-destroy-confirm', class: 'button-danger' }, bi('파기', 'Destroy'));
  const cancel = h('button', { type: 'button', id: 'export-destroy-cancel' }, bi('취소', 'Cancel'));
  const form = h('form', { id: 'export-destroy-form', class: 'stack panel-block', hidden: true, novalidate: true },
    title,
    h('label', { for: 'export-destroy-reason' }, bi('파기 사유 (필수, 감사 기록됨)', 'Why it is destroyed now (required, audit-logged)')),
    reason,
    h('p', { class: 'hint' }, bi('모든 노드의 사본이 지워지며 되돌릴 수 없습니다. 법적 보존 중인 영상은 파기할 수 없습니다.',
      'Every node\'s copy is deleted; this cannot be undone. Footage under a legal hold cannot be destroyed.')),
    h('div', { class: 'button-row' }, confirm, cancel), result);
  let shown = []; // the exports listed, newest first
  let filter = null; // { id, label } of the camera whose exports alone are listed
  const chosen = h('p', { id: 'exports-filter-chosen', class: 'hint' });
  const clear = h('button', { type: 'button', id: 'exports-filter-clear', class: 'button-small', hidden: true },
    bi('모든 카메라', 'All cameras'));
  const picker = createCameraPicker(context, {
    id: 'exports-cameras', pickLabel: ['거르기', 'Filter'], limit: 10,
    onPick(camera) {
      filter = { id: String(camera.id), label: cameraLabel(camera) };
      picker.setSelected(camera.id);
      showFilter();
      load();
    },
  });
  const filterBox = h('details', { id: 'exports-filter' },
    h('summary', null, bi('카메라로 거르기', 'Filter by camera')),
    h('label', { for: 'exports-cameras-search', class: 'visually-hidden' }, '카메라 검색 Find a camera'),
    picker.el);
  filterBox.addEventListener('toggle', () => { if (filterBox.open) picker.load(); });
  const count = h('p', { id: 'exports-count', class: 'summary', role: 'status' });
  const more = h('button', { type: 'button', id: 'exports-more', class: 'button-small', hidden: true }, bi('더 보기', 'Show more'));
  const el = h('div', { id: 'exports-panel' },
    h('h2', null, bi('증거 내보내기', 'Evidence exports')),
    h('p', { class: 'hint', id: 'exports-hint' }, bi(
      '내보낸 영상은 보관 기한에 자동으로 지워집니다. 목적을 다한 내보내기(경찰 제공 완료, 사건 종결)는 사유를 적고 먼저 파기할 수 있습니다.',
      'Exports are deleted when their days are over. One whose purpose is met (provided to the police, case closed) can be destroyed now, with a reason.')),
    filterBox,
    h('div', { class: 'button-row' }, chosen, clear),
    count,
    problem,
    h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', id: 'exports-table' },
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, bi('만든 때', 'Made')),
        h('th', { scope: 'col' }, bi('카메라', 'Camera')),
        h('th', { scope: 'col' }, bi('구간', 'Stretch')),
        h('th', { scope: 'col' }, bi('누가', 'By')),
        h('th', { scope: 'col' }, bi('사유', 'Reason')),
        h('th', { scope: 'col' }, bi('보관', 'Kept')),
        h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, '동작 Actions')))),
      body)),
    more,
    form);

  function showFilter() {
    clear.hidden = !filter;
    replace(chosen, filter ? [bi('카메라', 'Camera'), ': ', text(filter.label)] : bi('모든 카메라의 내보내기', 'Exports of every camera'));
  }
  showFilter();
  clear.addEventListener('click', () => {
    filter = null;
    picker.setSelected(null);
    showFilter();
    load();
  });
  more.addEventListener('click', () => load({ older: true }));

  const minute = (iso) => formatTime(iso).slice(0, 16);
  let destroying = null;

  function row(item) {
    const cameras = Array.isArray(item.cameraIds) ? item.cameraIds : [];
    const camera = cameras.length ? cameraCell(String(cameras[0])) : h('td', null, '—');
    if (cameras.length > 1) camera.append(` +${cameras.length - 1}`);
    let kept;
    if (!item.deletedAt) {
      kept = [bi('까지', 'until'), ` ${minute(item.keptUntil)}`];
    } else if (item.destroyedBy) {
      kept = [h('strong', null, bi('파기됨', 'destroyed')), ` ${minute(item.deletedAt)} · ${item.destroyedBy}: `, text(item.destroyReason || '')];
    } else {
      kept = [bi('삭제됨', 'deleted'), ` ${minute(item.deletedAt)}`];
    }
    const destroy = item.deletedAt ? null : h('button', {
      type: 'button', class: 'button-small button-danger', dataset: { destroy: item.id },
      on: { click: () => ask(item) },
    }, bi('파기…', 'Destroy…'));
    return h('tr', { dataset: { export: item.id } },
      h('td', { class: 'nowrap' }, minute(item.createdAt)),
      camera,
      h('td', { class: 'nowrap' }, `${minute(item.from)} – ${formatTime(item.to).slice(11, 16)}`),
      h('td', null, text(item.requestedBy)),
      h('td', null, text(item.reason), item.provisionRequestId ? [' ', h('span', { class: 'muted' }, bi('(경찰 제공)', '(police provision)'))] : null),
      h('td', null, kept),
      h('td', { class: 'actions' }, destroy));
  }

  /** The first page again, or with `older` the next page back, added below what is shown. */
  async function load({ older = false } = {}) {
    try {
      const query = { limit: PAGE };
      if (filter) query.cameraId = filter.id;
      if (older && shown.length) query.after = shown[shown.length - 1].id;
      const list = await context.api.get('/api/exports', { query });
      const page = Array.isArray(list) ? list : [];
      // (a row destroyed meanwhile elsewhere is still the cursor: the list goes on after it)
      const known = new Set(older ? shown.map((item) => item.id) : []);
      const added = page.filter((item) => !known.has(item.id));
      shown = older ? shown.concat(added) : added;
      message(problem, 'error', '');
      replace(body, shown.length ? shown.map(row)
        : h('tr', null, h('td', { colspan: '7', class: 'empty' }, bi('내보내기 없음', 'No exports'))));
      // A full page may have older ones behind it.
      more.hidden = page.length < PAGE || added.length === 0;
      replace(count, bi(`최근 ${formatInteger(shown.length)}건`, `The latest ${formatInteger(shown.length)}`),
        more.hidden && shown.length ? [' ', bi('(전부)', '(all of them)')] : null);
    } catch (error) {
      message(problem, 'error', errorText(error));
    }
  }

  function ask(item) {
    destroying = item.id;
    replace(title, bi('파기할 내보내기', 'Destroying the export made'), ` ${minute(item.createdAt)} · `, text(item.requestedBy), ' · ', text(item.reason));
    reason.value = '';
    message(result, 'info', null);
    form.hidden = false;
    reason.focus();
  }

  cancel.addEventListener('click', () => {
    form.hidden = true;
    destroying = null;
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!destroying) return;
    const why = reason.value.trim();
    if (why.length < 3) {
      message(result, 'error', bi('파기 사유를 3자 이상 적으세요', 'Reason: write why it is destroyed (3 characters or more)'));
      reason.focus();
      return;
    }
    confirm.disabled = true;
    try {
      await context.api.del(`/api/exports/${encodeURIComponent(destroying)}`, { json: { reason: why } });
      form.hidden = true;
      destroying = null;
      await load();
      message(problem, 'ok', bi('파기했습니다', 'Destroyed'));
    } catch (error) {
      message(result, 'error', errorText(error));
    } finally {
      confirm.disabled = false;
    }
  });

  return { el, load };
}
