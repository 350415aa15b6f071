// The search view's picture: one chosen camera's snapshot (GET /api/cameras/:id/snapshot) to draw
// a region or a line on (ruledraw.js, as the rule editor does). Both are fractions of the picture
// (0,0 top left) and apply to every camera searched; a line has the direction it must be crossed
// (seen from its first end, as in the rule editor). Without a snapshot the shapes are drawn on an
// empty 16:9 frame.
//
// Test hooks: #search-picture-camera (select), #search-canvas, #search-draw-region,
// #search-draw-line, #search-draw-done, #search-region-clear, #search-line-clear, #search-crossing,
// #search-picture-note.

import { errorText } from './api.js';
import { bi, h, message, replace } from './dom.js';
import { createRuleCanvas, snapshotDataURL } from './ruledraw.js';

const REGION_COLOUR = '#6cb6ff';
const LINE_COLOUR = '#ff922b';
const CROSSINGS = [['either', '양방향', 'Either way'], ['leftToRight', '왼쪽→오른쪽', 'Left to right'], ['rightToLeft', '오른쪽→왼쪽', 'Right to left']];

/**
 * Returns `{el, setCameras(cameras), region, line, crossing, show(), hide(), destroy()}`: `region` is
 * `{points}` or null, `line` `{start, end}` or null, `crossing` the chosen direction (with a line).
 */
export function createSearchPicture() {
  const cameraSelect = h('select', { id: 'search-picture-camera' });
  const reload = h('button', { type: 'button', class: 'button-small' }, bi('사진 새로', 'New picture'));
  const note = h('p', { id: 'search-picture-note', hidden: true });
  const hint = h('p', { class: 'hint search-draw-hint', role: 'status' });
  const drawRegion = h('button', { type: 'button', id: 'search-draw-region', class: 'button-small' }, bi('영역 그리기', 'Draw region'));
  const drawLine = h('button', { type: 'button', id: 'search-draw-line', class: 'button-small' }, bi('선 그리기', 'Draw line'));
  const done = h('button', { type: 'button', id: 'search-draw-done', class: 'button-small button-primary', hidden: true }, bi('완료', 'Done'));
  const cancelButton = h('button', { type: 'button', class: 'button-small button-quiet', hidden: true }, bi('그리기 취소', 'Cancel drawing'));
  const clearRegion = h('button', { type: 'button', id: 'search-region-clear', class: 'button-small button-quiet', disabled: true }, bi('영역 지우기', 'Clear region'));
  const clearLine = h('button', { type: 'button', id: 'search-line-clear', class: 'button-small button-quiet', disabled: true }, bi('선 지우기', 'Clear line'));
  const crossing = h('select', { id: 'search-crossing', disabled: true },
    CROSSINGS.map(([code, korean, english]) => h('option', { value: code }, `${korean} ${english}`)));
  const canvas = createRuleCanvas({ id: 'search-canvas', onChange: describe });

  const el = h('div', { class: 'search-picture' },
    h('div', { class: 'toolbar' },
      h('label', { for: 'search-picture-camera' }, bi('사진 카메라', 'Picture of')), cameraSelect, reload),
    note,
    canvas.el,
    h('div', { class: 'button-row' }, drawRegion, drawLine, done, cancelButton, clearRegion, clearLine),
    h('div', { class: 'button-row' },
      h('label', { for: 'search-crossing' }, bi('선 넘는 방향 (첫 점에서 볼 때)', 'Crossing (seen from the first end)')), crossing),
    hint);

  let region = null;
  let line = null;
  let cameraId = null;
  let controller = null;
  let shownFor = null; // the camera whose picture (or its absence) is on screen

  function shapes() {
    canvas.setShapes([
      region && { type: 'polygon', points: region.points, colour: REGION_COLOUR, label: '영역 region' },
      line && { type: 'line', points: [line.start, line.end], colour: LINE_COLOUR, direction: crossing.value, label: '선 line' },
    ].filter(Boolean));
  }

  function describe(state = canvas.drawing) {
    const drawingNow = Boolean(state);
    done.hidden = !drawingNow || state.mode !== 'polygon';
    done.disabled = !drawingNow || state.count < 3;
    cancelButton.hidden = !drawingNow;
    drawRegion.disabled = drawingNow;
    drawLine.disabled = drawingNow;
    clearRegion.disabled = drawingNow || !region;
    clearLine.disabled = drawingNow || !line;
    crossing.disabled = !line;
    if (!drawingNow) {
      replace(hint, region || line
        ? bi('그린 영역·선은 고른 모든 카메라에 적용됩니다', 'The region and line apply to every camera searched')
        : bi('영역이 없으면 화면 전체', 'No region: the whole picture'));
    } else if (state.mode === 'line') {
      replace(hint, bi(`선의 두 끝을 누르세요 (${state.count}/2)`, `Click the line's two ends (${state.count}/2)`));
    } else {
      replace(hint, bi(`꼭짓점을 누르세요 (${state.count}개) — 두 번 누르거나 완료`, `Click the corners (${state.count}) — double-click or Done to close`));
    }
  }

  async function loadPicture() {
    controller?.abort();
    controller = new AbortController();
    const { signal } = controller;
    message(note, 'info', '');
    const id = cameraId;
    if (!id) {
      canvas.setPicture(null);
      shownFor = null;
      return;
    }
    try {
      const url = await snapshotDataURL(id, signal);
      if (signal.aborted) return;
      canvas.setPicture(url);
      shownFor = id;
    } catch (error) {
      if (signal.aborted || error?.name === 'AbortError') return;
      canvas.setPicture(null);
      shownFor = id;
      message(note, 'warn', `사진 없음, 빈 틀에 그립니다 · No picture, drawing on an empty frame: ${errorText(error)}`);
    }
  }

  drawRegion.addEventListener('click', () => canvas.draw('polygon', (points) => {
    if (points) region = { points: points.map(({ x, y }) => ({ x, y })) };
    shapes();
    describe(null);
  }));
  drawLine.addEventListener('click', () => canvas.draw('line', (points) => {
    if (points) line = { start: { ...points[0] }, end: { ...points[1] } };
    shapes();
    describe(null);
  }));
  done.addEventListener('click', () => canvas.finish());
  cancelButton.addEventListener('click', () => canvas.cancel());
  clearRegion.addEventListener('click', () => {
    region = null;
    shapes();
    describe();
  });
  clearLine.addEventListener('click', () => {
    line = null;
    shapes();
    describe();
  });
  crossing.addEventListener('change', shapes);
  cameraSelect.addEventListener('change', () => {
    cameraId = cameraSelect.value || null;
    loadPicture();
  });
  reload.addEventListener('click', loadPicture);
  describe();

  return {
    el,
    /** The cameras whose picture may be drawn on (`[{id, label}]`); keeps the shown one when it stays. */
    setCameras(cameras) {
      const keep = cameras.some((camera) => camera.id === cameraId) ? cameraId : (cameras[0]?.id ?? null);
      replace(cameraSelect, cameras.length
        ? cameras.map((camera) => h('option', { value: camera.id, selected: camera.id === keep }, camera.label))
        : h('option', { value: '' }, '카메라를 고르면 사진이 보입니다 · Choose a camera to see its picture'));
      cameraSelect.disabled = cameras.length === 0;
      reload.disabled = cameras.length === 0;
      if (keep !== cameraId) {
        cameraId = keep;
        loadPicture();
      }
    },
    get region() {
      return region;
    },
    get line() {
      return line;
    },
    get crossing() {
      return crossing.value;
    },
    /** Asks again for a picture whose loading was cut short by leaving the view. */
    show() {
      if (cameraId && shownFor !== cameraId) loadPicture();
    },
    /** Leaving the view: stops drawing and any picture still loading. */
    hide() {
      canvas.cancel();
      controller?.abort();
    },
    destroy() {
      controller?.abort();
    },
  };
}
