// A searchable list of cameras (GET /api/cameras?q=&offset=&limit=) that the wall, playback,
// legal-hold and search views share: click (or the button) picks a camera; with `draggable` each
// item can also be dragged onto a wall tile; with `checked` each item is a checkbox instead
// (several cameras chosen, as the search view does).

import { errorText } from './api.js';
import { bi, debounce, formatInteger, h, message, replace, text } from './dom.js';

/** The drag-and-drop type that carries `{id, label}` of a camera. */
export const CAMERA_DRAG_TYPE = 'application/x-citywatch-camera';

/**
 * What the control room calls a camera: the server's `label` (its name, else the part of its
 * site's address that tells it apart, and its number on a pole with several; CameraLabels in
 * the domain layer makes it, so every view and the alarms say the same), else its id.
 */
export function cameraLabel(camera) {
  const label = [camera?.label, camera?.name].find((value) => typeof value === 'string' && value.trim() !== '');
  return label ? label.trim() : String(camera?.id ?? '—');
}

/** A second line: the full address and the view direction (the label has the rest). */
export function cameraDetail(camera) {
  return [camera?.roadAddress || camera?.lotAddress, camera?.viewDirection]
    .filter((part) => typeof part === 'string' && part.trim() !== '').join(' · ');
}

/** Puts `{id, label}` of a camera on a drag. */
export function setCameraDrag(event, camera) {
  const payload = JSON.stringify({ id: String(camera.id), label: cameraLabel(camera) });
  event.dataTransfer.setData(CAMERA_DRAG_TYPE, payload);
  event.dataTransfer.setData('text/plain', String(camera.id));
  event.dataTransfer.effectAllowed = 'copyMove';
}

/** `{id, label}` from a drag made by `setCameraDrag`, or null. */
export function cameraFromDrag(event) {
  try {
    const value = JSON.parse(event.dataTransfer.getData(CAMERA_DRAG_TYPE) || 'null');
    return value && typeof value.id === 'string' && value.id !== '' ? { id: value.id, label: String(value.label || value.id) } : null;
  } catch {
    return null;
  }
}

/**
 * Options: `id` (prefix of element ids), `onPick(camera, li, checked)`, `pickLabel` ([Korean,
 * English] of the item button), `draggable`, `limit` (page size), `checked(cameraId)` (makes
 * every item a checkbox ticked when it answers true; `onPick` hears each tick and untick).
 * Returns `{el, load, focus, setSelected, setChecked, destroy}`.
 */
export function createCameraPicker(context, options) {
  const { id, onPick, pickLabel = ['선택', 'Pick'], draggable = false, limit = 50, checked = null } = options;
  const search = h('input', {
    type: 'search', id: `${id}-search`, name: 'q', autocomplete: 'off',
    placeholder: '주소, 관리기관, 촬영방면 · address, agency, view',
  });
  const list = h('ul', { class: 'camera-list', id: `${id}-list` });
  const summary = h('p', { class: 'summary camera-list-summary', role: 'status' });
  const more = h('button', { type: 'button', class: 'button-small', hidden: true }, bi('더 보기', 'More'));
  const problem = h('p', { hidden: true });
  const el = h('div', { class: 'camera-picker' },
    h('label', { for: `${id}-search`, class: 'visually-hidden' }, '카메라 검색 Camera search'),
    search, summary, problem, list, more);

  let purposes = null;
  let controller = null;
  let offset = 0;
  let total = 0;
  let selected = null;

  async function load(append = false) {
    controller?.abort();
    controller = new AbortController();
    const { signal } = controller;
    if (!append) offset = 0;
    list.setAttribute('aria-busy', 'true');
    try {
      purposes = purposes || await context.getPurposes().catch(() => null);
      const answer = await context.api.get('/api/cameras', { query: { q: search.value.trim(), offset, limit }, signal });
      if (signal.aborted) return;
      const items = Array.isArray(answer?.items) ? answer.items : [];
      total = Number.isFinite(answer?.total) ? answer.total : items.length;
      message(problem, 'error', '');
      if (!append) replace(list);
      for (const camera of items) list.appendChild(item(camera));
      offset += items.length;
      if (!list.children.length) list.appendChild(h('li', { class: 'muted camera-list-empty' }, bi('결과 없음', 'No cameras match')));
      replace(summary, `${formatInteger(offset)} / ${formatInteger(total)}`);
      more.hidden = offset >= total || items.length === 0;
    } catch (error) {
      if (error?.name === 'AbortError') return;
      message(problem, 'error', errorText(error));
    } finally {
      if (!signal.aborted) list.removeAttribute('aria-busy');
    }
  }

  /** A row whose checkbox (and whole text, as its label) ticks the camera. */
  function checkItem(camera) {
    const box = h('input', { type: 'checkbox', class: 'camera-check', value: String(camera.id), checked: Boolean(checked(String(camera.id))) });
    const li = h('li', { class: `camera-item camera-item-check${camera.enabled === false ? ' row-disabled' : ''}`, dataset: { camera: String(camera.id) } },
      h('label', { class: 'check camera-item-label' }, box,
        h('span', { class: 'camera-item-text' },
          h('span', { class: 'camera-item-name' }, text(cameraLabel(camera))),
          h('span', { class: 'camera-item-detail muted' }, cameraDetail(camera)))));
    box.addEventListener('change', () => onPick?.(camera, li, box.checked));
    return li;
  }

  function item(camera) {
    if (checked) return checkItem(camera);
    const pick = h('button', { type: 'button', class: 'button-small camera-pick' }, bi(pickLabel[0], pickLabel[1]));
    const swatch = purposes ? h('span', { class: 'swatch', style: { backgroundColor: purposes.color(camera.purpose) }, 'aria-hidden': 'true' }) : null;
    const li = h('li', {
      class: `camera-item${camera.enabled === false ? ' row-disabled' : ''}${selected === String(camera.id) ? ' selected' : ''}`,
      dataset: { camera: String(camera.id) },
      draggable: draggable ? 'true' : null,
      title: purposes ? `${purposes.korean(camera.purpose, camera.purposeText)} · ${purposes.english(camera.purpose)}` : null,
    },
    h('span', { class: 'camera-item-text' },
      h('span', { class: 'camera-item-name' }, swatch, ' ', text(cameraLabel(camera))),
      h('span', { class: 'camera-item-detail muted' }, cameraDetail(camera))),
    pick);
    const choose = () => onPick?.(camera, li);
    pick.addEventListener('click', (event) => {
      event.stopPropagation();
      choose();
    });
    li.addEventListener('click', choose);
    if (draggable) li.addEventListener('dragstart', (event) => setCameraDrag(event, camera));
    return li;
  }

  search.addEventListener('input', debounce(() => load(false), 300));
  search.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      load(false);
    }
  });
  more.addEventListener('click', () => load(true));

  return {
    el,
    load,
    focus: () => search.focus(),
    /** Marks the camera with this id as chosen (playback, holds). */
    setSelected(cameraId) {
      selected = cameraId ? String(cameraId) : null;
      for (const li of list.querySelectorAll('li.camera-item')) li.classList.toggle('selected', li.dataset.camera === selected);
    },
    /** Brings the checkboxes on screen in line with `checked` (after a change elsewhere). */
    setChecked() {
      if (!checked) return;
      for (const box of list.querySelectorAll('input.camera-check')) box.checked = Boolean(checked(box.value));
    },
    destroy: () => controller?.abort(),
  };
}
