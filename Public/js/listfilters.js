// The filter bar the events and alarms views share: what kind, which camera, how urgent, in what
// state. Each choice is a plain <select> (one key press at 3 a.m., no typing); the camera list
// holds the cameras the view has shown so far, by their labels, so an operator narrows a flood
// to the one camera raising it. The server does the filtering (GET /api/events and /api/alarms
// take `kind`, `camera`, `severity` and `state`), so a filtered list is complete, not a page of
// the unfiltered one sieved.
//
// Test hooks: #PREFIX-filter-kind, #PREFIX-filter-camera, #PREFIX-filter-severity,
// #PREFIX-filter-state (selects; value "" is "all"); #PREFIX-filters[data-active] (how many
// filters are set); #PREFIX-filter-clear.

import { bi, h, replace } from './dom.js';

export const SEVERITIES = [
  ['critical', '긴급', 'Critical'],
  ['high', '높음', 'High'],
  ['normal', '보통', 'Normal'],
  ['low', '낮음', 'Low'],
];

/** A <select> whose first option is "all" and then `choices` ([value, korean, english]). */
function choiceSelect(id, label, choices) {
  return h('select', { id, 'aria-label': label },
    h('option', { value: '' }, `${label}: 전체 all`),
    choices.map(([value, korean, english]) => h('option', { value }, `${korean} ${english}`)));
}

/**
 * Options: `prefix` (the hooks' prefix), `kinds` and `states` ([value, korean, english] each),
 * `onChange()` after any choice. Returns `{el, query(), noteCamera(id, label), active()}`:
 * `query()` is the filters set, as query parameters (absent when "all").
 */
export function createListFilters({ prefix, kinds, states, onChange }) {
  const kind = choiceSelect(`${prefix}-filter-kind`, '종류 Kind', kinds);
  const severity = choiceSelect(`${prefix}-filter-severity`, '중요도 Severity', SEVERITIES);
  const state = choiceSelect(`${prefix}-filter-state`, '상태 State', states);
  const camera = h('select', { id: `${prefix}-filter-camera`, 'aria-label': '카메라 Camera' },
    h('option', { value: '' }, '카메라 Camera: 전체 all'));
  const clear = h('button', { type: 'button', id: `${prefix}-filter-clear`, class: 'button-small button-quiet', hidden: true },
    bi('필터 해제', 'Clear filters'));
  const el = h('div', { id: `${prefix}-filters`, class: 'toolbar list-filters', role: 'group', 'aria-label': '필터 Filters', dataset: { active: '0' } },
    kind, camera, severity, state, clear);
  /** id → label of every camera offered. */
  const cameras = new Map();
  const selects = [kind, camera, severity, state];

  function active() {
    return selects.filter((select) => select.value !== '').length;
  }

  function changed() {
    const count = active();
    el.dataset.active = String(count);
    clear.hidden = count === 0;
    for (const select of selects) select.classList.toggle('filter-set', select.value !== '');
    onChange?.();
  }

  function renderCameras() {
    const chosen = camera.value;
    const sorted = [...cameras].sort((a, b) => a[1].localeCompare(b[1], 'ko'));
    replace(camera, h('option', { value: '' }, '카메라 Camera: 전체 all'),
      sorted.map(([id, label]) => h('option', { value: id }, label)));
    camera.value = chosen;
  }

  for (const select of selects) select.addEventListener('change', changed);
  clear.addEventListener('click', () => {
    for (const select of selects) select.value = '';
    changed();
  });

  return {
    el,
    active,
    /** The filters set, as query parameters. */
    query() {
      return {
        kind: kind.value || null,
        camera: camera.value || null,
        severity: severity.value || null,
        state: state.value || null,
      };
    },
    /** Offers camera `id` (called `label`) in the camera filter. */
    noteCamera(id, label) {
      const key = String(id);
      if (cameras.get(key) === label) return;
      cameras.set(key, label || key);
      renderCameras();
    },
    /** Whether `value` passes filter `name` ("kind", "camera", "severity", "state"). */
    passes(name, value) {
      const select = { kind, camera, severity, state }[name];
      return !select || select.value === '' || select.value === String(value);
    },
  };
}
