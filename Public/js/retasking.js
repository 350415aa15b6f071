// Re-tasking a parking-enforcement camera to crime watch (POST/DELETE /api/cameras/:id/retask,
// GET /api/retaskings): the block on a camera's detail, the purpose it serves now with
// "until HH:MM", and the list of cameras on crime watch in the cameras view's header.

import { errorText } from './api.js';
import { bi, h, message, replace, text } from './dom.js';
import { addToWall } from './wallstore.js';
import { cameraLabel } from './camerapicker.js';

const RETASKERS = ['administrator', 'operator'];
/** Minutes offered for a switch (the server accepts 5–1440). */
const DURATIONS = [15, 30, 60, 120, 240, 480, 1440];

/** True for a camera the switch applies to: 교통단속, or registry words naming parking. */
export function isParkingCamera(camera) {
  if (camera?.purpose === 'trafficEnforcement') return true;
  return camera?.purpose === 'other' && /주정차|주차/.test(camera?.purposeText || '');
}

/** "41분 · 41 min" left until an ISO time. */
function timeLeft(until, now = Date.now()) {
  const minutes = Math.max(0, Math.ceil((Date.parse(until) - now) / 60000));
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return hours ? `${hours}시간 ${rest}분 · ${hours} h ${rest} min` : `${minutes}분 · ${minutes} min`;
}

/**
 * The purpose a camera or site serves now: the registry's, or the re-tasked one with
 * "until HH:MM" and the registry's beside it.
 */
export function effectivePurposeLabel(purposes, item) {
  if (!item?.retasking) return purposes.label(item?.purpose, item?.purposeText);
  return h('span', { class: 'retasked-purpose', title: `${item.purposeText || ''} → ${item.retasking.toText}: ${item.retasking.reason}` },
    purposes.label(item.effectivePurpose, item.effectivePurposeText),
    ' ', h('span', { class: 'badge badge-retasked' }, `방범 전환 ~${item.retasking.untilText} · crime watch until ${item.retasking.untilText}`),
    ' ', h('span', { class: 'muted' }, `(등록부 registry: ${item.purposeText || item.purpose})`));
}

/**
 * The re-tasking block of a camera's detail row, for parking cameras and for cameras on crime
 * watch now; null when there is nothing to show. `onChanged(camera)` gets the camera as the
 * server now answers it.
 */
export function createRetaskingBlock(context, camera, { onChanged } = {}) {
  if (!isParkingCamera(camera) && !camera.retasking) return null;
  const canRetask = context.can(RETASKERS);
  const id = encodeURIComponent(camera.id);
  const box = h('div', { class: 'detail-retask', id: 'camera-retask' });
  const status = h('p', { hidden: true, role: 'status' });
  let timer = null;

  function activeView(retasking) {
    const left = h('span', { class: 'retask-left' }, timeLeft(retasking.until));
    clearInterval(timer);
    timer = setInterval(() => {
      if (!box.isConnected) { clearInterval(timer); return; }
      if (Date.parse(retasking.until) <= Date.now()) { clearInterval(timer); refresh(); return; }
      left.textContent = timeLeft(retasking.until);
    }, 15000);
    const revert = h('button', { type: 'button', class: 'button-small', id: 'retask-revert' }, bi('원래 용도로 복귀', 'Switch back now'));
    revert.addEventListener('click', async () => {
      revert.disabled = true;
      try {
        await context.api.del(`/api/cameras/${id}/retask`, { json: {} });
        await refresh();
        message(status, 'ok', '원래 용도로 돌아갔습니다 · Back to its registry purpose');
      } catch (error) {
        message(status, 'error', errorText(error));
        revert.disabled = false;
      }
    });
    return [
      h('p', { class: 'retask-active' },
        h('span', { class: 'badge badge-retasked' }, `방범 전환 ~${retasking.untilText} · crime watch until ${retasking.untilText}`), ' ',
        bi('남은 시간', 'left'), ': ', left),
      h('p', { class: 'hint' }, bi('사유', 'Reason'), `: ${text(retasking.reason)} — ${text(retasking.by)}`),
      canRetask ? h('div', { class: 'button-row' }, revert) : null,
    ];
  }

  function form() {
    const reason = h('input', { type: 'text', id: 'retask-reason', name: 'reason', minlength: '3', maxlength: '500', required: true, autocomplete: 'off',
      placeholder: '예: 주차장 강도 신고 · e.g. robbery reported at the car park' });
    const minutes = h('select', { id: 'retask-minutes', name: 'minutes' },
      DURATIONS.map((value) => h('option', { value: String(value), selected: value === 60 },
        value < 60 ? `${value}분 · ${value} min` : `${value / 60}시간 · ${value / 60} h`)));
    const submit = h('button', { type: 'submit', class: 'button-small button-primary', id: 'retask-submit' },
      bi('방범 전환', 'Switch to crime watch'));
    const element = h('form', { class: 'stack', id: 'retask-form', novalidate: true },
      h('p', { class: 'hint' }, bi('긴급 시 주정차단속 카메라를 방범용으로 전환합니다. 시간이 지나면 자동 복귀합니다.',
        'In an emergency, put this parking camera on crime watch; it switches back by itself.')),
      h('label', { for: 'retask-reason' }, bi('사유', 'Reason')), reason,
      h('label', { for: 'retask-minutes' }, bi('기간', 'Duration')), minutes,
      h('div', { class: 'button-row' }, submit));
    element.addEventListener('submit', async (event) => {
      event.preventDefault();
      const why = reason.value.trim();
      if (why.length < 3 || why.length > 500) {
        message(status, 'error', '사유를 3–500자로 적으세요 · Say why, in 3–500 characters');
        reason.focus();
        return;
      }
      submit.disabled = true;
      try {
        await context.api.post(`/api/cameras/${id}/retask`, { to: 'crimePrevention', reason: why, minutes: Number(minutes.value) });
        // The console is told: the camera goes on this operator's wall among the crime-watch tiles.
        if (context.can(['administrator', 'operator', 'police'])) addToWall(context.user, { id: String(camera.id), label: cameraLabel(camera) });
        await refresh();
        message(status, 'ok', '방범용으로 전환했습니다 · Switched to crime watch');
      } catch (error) {
        message(status, 'error', errorText(error));
        submit.disabled = false;
      }
    });
    return element;
  }

  function render(current) {
    camera = current;
    if (current.retasking) replace(box, activeView(current.retasking), status);
    else if (canRetask && isParkingCamera(current)) replace(box, form(), status);
    else replace(box, h('p', { class: 'hint' }, bi('전환 안 됨', 'Not re-tasked')), status);
  }

  async function refresh() {
    try {
      const fresh = await context.api.get(`/api/cameras/${id}`);
      render(fresh);
      onChanged?.(fresh);
      window.dispatchEvent(new CustomEvent(RETASKING_EVENT));
    } catch (error) {
      message(status, 'error', errorText(error));
    }
  }

  render(camera);
  return h('section', { class: 'detail-block' }, h('h3', null, bi('방범 전환', 'Crime watch')), box);
}

/** Fired on window when a re-tasking changed in this console. */
export const RETASKING_EVENT = 'citywatch:retasking';

/**
 * A one-line list of the cameras on crime watch now (GET /api/retaskings), kept fresh every
 * 30 s and after a change in this console; empty when there are none.
 */
export function createRetaskingSummary(context) {
  const el = h('p', { class: 'retask-summary', id: 'retask-summary', role: 'status', hidden: true });
  async function load() {
    if (!el.isConnected && el.dataset.loaded) { stop(); return; }
    el.dataset.loaded = 'yes';
    try {
      const { active } = await context.api.get('/api/retaskings');
      el.hidden = !active?.length;
      replace(el, active?.length
        ? [bi('방범 전환 중', 'On crime watch'), ': ',
          active.map((item, index) => [index ? ', ' : '',
            h('span', { class: 'retask-item', dataset: { camera: item.cameraId } }, `${text(item.label)} ~${item.untilText}`)])]
        : []);
    } catch {
      el.hidden = true;
    }
  }
  const timer = setInterval(load, 30000);
  const listener = () => load();
  function stop() {
    clearInterval(timer);
    window.removeEventListener(RETASKING_EVENT, listener);
  }
  window.addEventListener(RETASKING_EVENT, listener);
  load();
  return el;
}
