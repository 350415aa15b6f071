// Several cameras chosen by ticking them in a searchable list (camerapicker.js), shown as chips
// that untick them again: the search view's cameras, and the cameras a camera group holds.
//
// Test hooks: #ID-list .camera-check[value="CAMERA ID"]; #CHOSEN-ID li[data-camera].

import { h, replace, text } from './dom.js';
import { cameraLabel, createCameraPicker } from './camerapicker.js';

/**
 * Options: `id` (the picker's id prefix), `chosenId` (the chips' list id, default `ID-chosen`),
 * `onChange(chosen)` after every tick and untick. Returns `{picker, chosenList, chosen, choose,
 * clear}`; `chosen` maps camera id → label in the order ticked.
 */
export function createCameraChooser(context, { id, chosenId = `${id}-chosen`, onChange = null }) {
  const chosen = new Map();
  const picker = createCameraPicker(context, {
    id, checked: (cameraId) => chosen.has(cameraId),
    onPick: (camera, li, ticked) => choose(String(camera.id), cameraLabel(camera), ticked),
  });
  const chosenList = h('ul', { id: chosenId, class: 'chosen-cameras', 'aria-label': '고른 카메라 Chosen cameras' });

  function render() {
    replace(chosenList, [...chosen].map(([cameraId, label]) => {
      const remove = h('button', { type: 'button', class: 'button-small button-quiet', title: '빼기 Remove', 'aria-label': `${label} 빼기 Remove` }, '×');
      remove.addEventListener('click', () => choose(cameraId, label, false));
      return h('li', { dataset: { camera: cameraId } }, h('span', null, text(label)), remove);
    }));
  }

  /** Ticks (or unticks) the camera `cameraId` called `label`. */
  function choose(cameraId, label, ticked) {
    if (ticked) chosen.set(cameraId, label);
    else chosen.delete(cameraId);
    picker.setChecked();
    render();
    onChange?.(chosen);
  }

  return {
    picker,
    chosenList,
    chosen,
    choose,
    /** Unticks every camera. */
    clear() {
      chosen.clear();
      picker.setChecked();
      render();
      onChange?.(chosen);
    },
  };
}
