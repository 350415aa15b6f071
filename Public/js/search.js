// Smart search (administrator, operator, police), `#search`: find motion or tracked objects in the
// analytics metadata of many cameras without playing video (POST /api/search). The investigator
// picks cameras (ticked in a list, by purpose, and/or an area drawn on the map), a period in
// Korean time (default the last 24 h), optionally a region or a line on one camera's picture, and
// object criteria; the server answers 400 naming the field, shown by the Search button. Results
// are episodes with a frame each and a link that opens playback at the moment (searchresults.js).
//
// Test hooks: #search-form; #search-cameras-list .camera-check[value="ID"]; #search-chosen
// li[data-camera]; input[name=purpose]; #search-from, #search-to (datetime-local, KST);
// input[name=class], input[name=color]; #search-direction (+ #search-direction-from/-to);
// #search-dwell; #search-size-min, #search-size-max (% of the picture's height); #search-order;
// #search-run; #search-status[data-state] ("idle" | "searching" | "done" | "error").

import { errorText } from './api.js';
import { bi, h, isoUTC, message } from './dom.js';
import { OBJECT_CLASSES } from './labels.js';
import { createCameraChooser } from './camerachooser.js';
import { createSearchArea } from './searcharea.js';
import { createSearchPicture } from './searchpicture.js';
import { createSearchResults, kstInputTime, kstInputValue } from './searchresults.js';

const PAGE_SIZE = 50;
const DAY_MS = 86_400_000;
const CLASSES = ['person', 'bicycle', 'car', 'motorcycle', 'bus', 'truck'];
/** Dominant colours the analysis names (ColorName): code, Korean, swatch. */
const COLOURS = [
  ['black', '검정', '#000000'], ['white', '흰색', '#ffffff'], ['gray', '회색', '#808080'], ['red', '빨강', '#e03131'],
  ['orange', '주황', '#f76707'], ['yellow', '노랑', '#fcc419'], ['green', '초록', '#2f9e44'], ['blue', '파랑', '#1c7ed6'],
  ['purple', '보라', '#9c36b5'],
];
/** Directions of travel, degrees clockwise from up: the 90° fan around each way. */
const DIRECTIONS = {
  '': ['아무 방향', 'Any direction'],
  up: ['위로', 'Up', 315, 45],
  right: ['오른쪽으로', 'Right', 45, 135],
  down: ['아래로', 'Down', 135, 225],
  left: ['왼쪽으로', 'Left', 225, 315],
  custom: ['직접 입력 (도)', 'Custom (degrees)'],
};

/** A number input's value, or null when it is empty. */
function numberOrNull(input) {
  const value = input.value.trim();
  return value === '' ? null : Number(value);
}

/** A labelled group of checkboxes named `name`: `[value, korean, english, swatch?]` each. */
function checkGroup(name, legend, items) {
  return h('fieldset', { class: `search-checks search-${name}` }, h('legend', null, legend),
    items.map(([value, korean, english, swatch]) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', name, value }),
      swatch ? h('span', { class: 'swatch', style: { backgroundColor: swatch }, 'aria-hidden': 'true' }) : null,
      bi(korean, english))));
}

function checkedValues(root, name) {
  return [...root.querySelectorAll(`input[name="${name}"]:checked`)].map((input) => input.value);
}

export function createSearchView(context) {
  const chooser = createCameraChooser(context, {
    id: 'search-cameras', chosenId: 'search-chosen',
    onChange: (chosen) => picture.setCameras([...chosen].map(([id, label]) => ({ id, label }))),
  });
  const { picker, chosenList, chosen } = chooser; // chosen: camera id → label, in the order ticked
  const purposeBox = h('fieldset', { class: 'search-checks search-purposes' }, h('legend', null, bi('용도', 'Purpose')));
  const from = h('input', { type: 'datetime-local', id: 'search-from', name: 'from', step: '60', required: true });
  const to = h('input', { type: 'datetime-local', id: 'search-to', name: 'to', step: '60', required: true });
  const lastDay = h('button', { type: 'button', id: 'search-last-day', class: 'button-small' }, bi('최근 24시간', 'Last 24 h'));
  const direction = h('select', { id: 'search-direction', name: 'direction' },
    Object.entries(DIRECTIONS).map(([code, [korean, english]]) => h('option', { value: code }, `${korean} ${english}`)));
  const directionFrom = h('input', { type: 'number', id: 'search-direction-from', min: '0', max: '360', step: '1', value: '0', 'aria-label': '시작 각도 From (degrees)' });
  const directionTo = h('input', { type: 'number', id: 'search-direction-to', min: '0', max: '360', step: '1', value: '90', 'aria-label': '끝 각도 To (degrees)' });
  const directionCustom = h('span', { class: 'search-direction-custom', hidden: true }, directionFrom, ' – ', directionTo, '°');
  const dwell = h('input', { type: 'number', id: 'search-dwell', name: 'dwell', min: '0', step: '1', placeholder: '—' });
  const sizeMin = h('input', { type: 'number', id: 'search-size-min', min: '0', max: '100', step: '1', placeholder: '0', 'aria-label': '최소 Minimum %' });
  const sizeMax = h('input', { type: 'number', id: 'search-size-max', min: '0', max: '100', step: '1', placeholder: '100', 'aria-label': '최대 Maximum %' });
  const order = h('select', { id: 'search-order', name: 'order' },
    h('option', { value: 'time' }, '최신순 Newest first'), h('option', { value: 'relevance' }, '관련도순 Most relevant'));
  const run = h('button', { type: 'submit', id: 'search-run', class: 'button-primary' }, bi('검색', 'Search'));
  const status = h('p', { id: 'search-status', class: 'search-status', dataset: { state: 'idle' }, hidden: true });
  const area = createSearchArea(context);
  const picture = createSearchPicture();
  const results = createSearchResults(context, { onPage: (offset) => search(offset), onExport: () => exportCSV() });
  const mapBox = h('details', { id: 'search-map-box', class: 'search-box' },
    h('summary', null, bi('지도에서 지역 고르기', 'Choose an area on the map')), area.el);
  const pictureBox = h('details', { id: 'search-picture-box', class: 'search-box' },
    h('summary', null, bi('화면의 영역·선', 'Region or line on the picture')), picture.el);

  const form = h('form', { id: 'search-form', class: 'search-form', novalidate: true },
    h('h1', { id: 'search-title' }, bi('검색', 'Search')),
    h('h2', null, bi('카메라', 'Cameras')),
    picker.el,
    chosenList,
    purposeBox,
    h('p', { class: 'hint' }, bi('목록·용도·지도 지역의 합집합, 아무것도 없으면 볼 수 있는 모든 카메라',
      'Ticked, by purpose or in the map area (any of them); none: every camera you may see')),
    h('h2', null, bi('기간 (한국 시간)', 'Period (Korean time, KST)')),
    h('div', { class: 'search-period' },
      h('label', { for: 'search-from' }, bi('부터', 'From')), from,
      h('label', { for: 'search-to' }, bi('까지', 'To')), to),
    h('div', { class: 'button-row' }, lastDay),
    h('h2', null, bi('대상', 'Objects')),
    checkGroup('class', bi('종류', 'Classes'), CLASSES.map((code) => [code, ...OBJECT_CLASSES[code]])),
    checkGroup('color', bi('색', 'Colours'), COLOURS.map(([code, korean, swatch]) => [code, korean, code, swatch])),
    h('div', { class: 'search-fields' },
      h('label', { for: 'search-direction' }, bi('이동 방향', 'Direction')), h('span', null, direction, ' ', directionCustom),
      h('label', { for: 'search-dwell' }, bi('영역 안 머문 시간 (초)', 'Stayed in region (s)')), dwell,
      h('label', { for: 'search-size-min' }, bi('높이 (화면의 %)', 'Height (% of picture)')), h('span', null, sizeMin, ' – ', sizeMax),
      h('label', { for: 'search-order' }, bi('정렬', 'Order')), order),
    h('p', { class: 'hint' }, bi('대상 조건이 없으면 영역 안의 움직임을 찾습니다', 'With no object criterion the search finds motion (in the region)')),
    h('div', { class: 'search-run-bar' }, h('div', { class: 'button-row' }, run), status));

  const el = h('section', { class: 'view-search', 'aria-labelledby': 'search-title' },
    h('aside', { class: 'search-side' }, form),
    h('div', { class: 'search-main' }, mapBox, pictureBox, results.el));

  let controller = null;
  let shown = false;
  let lastQuery = null; // the query of the results on screen, for paging

  // While the period is "the last 24 h" (not edited by hand), each search moves it up to now.
  let periodIsLastDay = true;

  function setLastDay() {
    const end = Math.ceil(Date.now() / 60_000) * 60_000;
    to.value = kstInputValue(end);
    from.value = kstInputValue(end - DAY_MS);
    periodIsLastDay = true;
  }

  async function loadPurposes() {
    try {
      const book = await context.getPurposes();
      purposeBox.append(...book.list.map((purpose) => h('label', { class: 'check' },
        h('input', { type: 'checkbox', name: 'purpose', value: purpose.code }), book.label(purpose.code))));
    } catch (error) {
      purposeBox.append(h('p', { class: 'message message-error' }, errorText(error)));
    }
  }

  /** The `SearchQuery` the form describes, or a string saying what to fix first. */
  function query() {
    const fromMs = kstInputTime(from.value);
    const toMs = kstInputTime(to.value);
    if (!Number.isFinite(fromMs) || !Number.isFinite(toMs)) return '기간을 입력하세요 · Enter the period (from and to)';
    const body = { from: isoUTC(fromMs), to: isoUTC(toMs), order: order.value };
    const cameras = {};
    if (chosen.size) cameras.ids = [...chosen.keys()];
    const purposes = checkedValues(purposeBox, 'purpose');
    if (purposes.length) cameras.purposes = purposes;
    if (area.area) cameras.area = area.area;
    if (Object.keys(cameras).length) body.cameras = cameras;
    if (picture.region) body.region = picture.region;
    if (picture.line) {
      body.line = picture.line;
      body.crossing = picture.crossing;
    }
    const classes = checkedValues(form, 'class');
    if (classes.length) body.classes = classes;
    const colors = checkedValues(form, 'color');
    if (colors.length) body.colors = colors;
    const [, , fanFrom, fanTo] = DIRECTIONS[direction.value] || [];
    if (direction.value === 'custom') body.direction = { from: numberOrNull(directionFrom) ?? 0, to: numberOrNull(directionTo) ?? 360 };
    else if (Number.isFinite(fanFrom)) body.direction = { from: fanFrom, to: fanTo };
    const seconds = numberOrNull(dwell);
    if (seconds !== null) body.dwellSeconds = seconds;
    const minimum = numberOrNull(sizeMin);
    const maximum = numberOrNull(sizeMax);
    if (minimum !== null || maximum !== null) body.size = { minimum: (minimum ?? 0) / 100, maximum: (maximum ?? 100) / 100 };
    return body;
  }

  function setStatus(state, kind, content) {
    status.dataset.state = state;
    message(status, kind, content);
  }

  /** Runs the form's query (a new search) or, with `offset`, another page of the last one. */
  async function search(offset = null) {
    const body = offset === null ? query() : lastQuery;
    if (typeof body === 'string') {
      setStatus('error', 'error', body);
      return;
    }
    controller?.abort();
    controller = new AbortController();
    const { signal } = controller;
    const page = offset ?? 0;
    run.disabled = true;
    results.busy(true);
    setStatus('searching', 'info', '검색 중… · Searching…');
    try {
      const answer = await context.api.post('/api/search', { ...body, limit: PAGE_SIZE, offset: page }, { signal });
      if (signal.aborted) return;
      lastQuery = body;
      results.show(answer, page, PAGE_SIZE);
      setStatus('done', 'ok', '');
    } catch (error) {
      if (error?.name === 'AbortError') return;
      setStatus('error', 'error', errorText(error));
    } finally {
      if (!signal.aborted) {
        run.disabled = false;
        results.busy(false);
      }
    }
  }

  /** Downloads every episode of the results on screen as CSV (`POST /api/search/export`). */
  async function exportCSV() {
    if (!lastQuery) return;
    setStatus('exporting', 'info', '내보내는 중… · Exporting…');
    try {
      const csv = await context.api.post('/api/search/export', { ...lastQuery, offset: 0 }, { text: true });
      const link = h('a', { href: URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' })),
        download: `citywatch-search-${kstInputValue(Date.now()).replace(/[-:T]/g, '')}.csv` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
      setStatus('exported', 'ok', '');
    } catch (error) {
      setStatus('error', 'error', errorText(error));
    }
  }

  /** Stops a search still running (leaving the view), so its answer does not land later. */
  function abortSearch() {
    if (!controller || controller.signal.aborted) return;
    controller.abort();
    run.disabled = false;
    results.busy(false);
    if (status.dataset.state === 'searching') setStatus('idle', 'info', '검색을 멈췄습니다 · Search stopped');
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (periodIsLastDay) setLastDay();
    search();
  });
  lastDay.addEventListener('click', setLastDay);
  for (const input of [from, to]) input.addEventListener('input', () => { periodIsLastDay = false; });
  direction.addEventListener('change', () => {
    directionCustom.hidden = direction.value !== 'custom';
  });
  mapBox.addEventListener('toggle', () => {
    if (mapBox.open && shown) area.show();
  });
  pictureBox.addEventListener('toggle', () => {
    if (pictureBox.open && shown) picture.show();
  });
  setLastDay();
  picture.setCameras([]);
  // Made on the first visit to #search (app.js), so this is that visit's loading.
  picker.load();
  loadPurposes();

  return {
    el,
    show() {
      shown = true;
      if (mapBox.open) area.show();
      if (pictureBox.open) picture.show();
    },
    hide() {
      shown = false;
      abortSearch();
      area.hide();
      picture.hide();
    },
    destroy() {
      shown = false;
      controller?.abort();
      picker.destroy();
      area.destroy();
      picture.destroy();
    },
  };
}
