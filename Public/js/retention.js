// Legal holds and retention periods (administrator, privacyOfficer): the storage tiers (see
// storage.js), active holds from GET /api/holds with release (DELETE /api/holds/:id), a form to
// add one (POST /api/holds), and days to keep footage per purpose (GET/PUT /api/retention; an
// empty field means the default), with, when there is an archive, the hours after which each
// purpose's footage moves there; and the evidence exports, with early destruction (see
// retentionexports.js).

import { ApiError, errorText } from './api.js';
import { bi, confirmButton, formatTime, h, isoFrom, message, replace, text } from './dom.js';
import { cameraDetail, cameraLabel, createCameraPicker } from './camerapicker.js';
import { createExportsPanel } from './retentionexports.js';
import { createStoragePanel } from './storage.js';

export function createRetentionView(context) {
  const cameras = new Map(); // id → Camera or Promise, for the holds table

  // ---- holds ----
  const holdsBody = h('tbody');
  const holdsProblem = h('p', { hidden: true });
  const cameraId = h('input', { type: 'text', id: 'hold-camera', name: 'cameraId', autocomplete: 'off', required: true, placeholder: 'UUID', spellcheck: 'false' });
  const cameraChosen = h('p', { class: 'hint', id: 'hold-camera-label' });
  const from = h('input', { type: 'datetime-local', id: 'hold-from', name: 'from', step: '1', required: true });
  const to = h('input', { type: 'datetime-local', id: 'hold-to', name: 'to', step: '1', required: true });
  const reason = h('textarea', { id: 'hold-reason', name: 'reason', rows: '2', maxlength: '500', minlength: '3', required: true, placeholder: '사건번호, 요청 기관 등 · case number, requesting agency…' });
  const holdStatus = h('p', { hidden: true });
  const addHold = h('button', { type: 'submit', class: 'button-primary' }, bi('보존 조치 추가', 'Add hold'));
  const picker = createCameraPicker(context, {
    id: 'hold-cameras', pickLabel: ['선택', 'Pick'], limit: 20,
    onPick(camera) {
      cameraId.value = String(camera.id);
      cameras.set(String(camera.id), camera);
      picker.setSelected(camera.id);
      replace(cameraChosen, bi('선택', 'Chosen'), ': ', text(cameraLabel(camera)), ' ', h('span', { class: 'muted' }, cameraDetail(camera)));
    },
  });
  const holdForm = h('form', { id: 'hold-form', class: 'hold-form', novalidate: true },
    h('div', { class: 'stack' },
      h('label', { for: 'hold-cameras-search' }, bi('카메라 검색', 'Find a camera')),
      picker.el),
    h('div', { class: 'stack' },
      h('label', { for: 'hold-camera' }, bi('카메라 ID', 'Camera id')), cameraId, cameraChosen,
      h('label', { for: 'hold-from' }, bi('시작', 'From')), from,
      h('label', { for: 'hold-to' }, bi('끝', 'To')), to,
      h('label', { for: 'hold-reason' }, bi('사유 (필수)', 'Reason (required)')), reason,
      holdStatus,
      h('div', { class: 'button-row' }, addHold)));

  const storage = createStoragePanel(context);
  const exportsPanel = createExportsPanel(context, { cameraCell });

  // ---- retention ----
  const retentionBody = h('tbody');
  const archiveHead = h('th', { scope: 'col', class: 'number', hidden: true }, bi('보관 저장소로 이동 (시간)', 'Move to archive after (hours)'));
  const retentionStatus = h('p', { hidden: true });
  const defaultNote = h('p', { class: 'hint', id: 'retention-default' });
  const saveRetention = h('button', { type: 'submit', class: 'button-primary' }, bi('보존 기간 저장', 'Save retention'));
  const retentionForm = h('form', { id: 'retention-form', class: 'panel-block', novalidate: true },
    defaultNote,
    h('div', { class: 'table-wrap' }, h('table', { class: 'data compact' },
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, bi('용도', 'Purpose')),
        h('th', { scope: 'col', class: 'number' }, bi('보존 일수', 'Days to keep')),
        archiveHead)),
      retentionBody)),
    retentionStatus,
    h('div', { class: 'button-row' }, saveRetention));

  const el = h('section', { class: 'panel', 'aria-labelledby': 'retention-title' },
    h('div', { class: 'view-head' }, h('h1', { id: 'retention-title' }, bi('보존 관리', 'Retention & legal holds'))),
    storage.el,
    h('h2', null, bi('법적 보존 조치', 'Legal holds')),
    h('p', { class: 'hint' }, bi('보존 조치가 걸린 구간은 보존 기간이 지나도 지워지지 않습니다.', 'Footage under a hold is never deleted by retention.')),
    holdsProblem,
    h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'holds-table' },
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, bi('카메라', 'Camera')),
        h('th', { scope: 'col' }, bi('시작', 'From')),
        h('th', { scope: 'col' }, bi('끝', 'To')),
        h('th', { scope: 'col' }, bi('사유', 'Reason')),
        h('th', { scope: 'col' }, bi('설정자', 'By')),
        h('th', { scope: 'col' }, bi('설정 시각', 'Created')),
        h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, '동작 Actions')))),
      holdsBody)),
    h('h3', null, bi('보존 조치 추가', 'Add a hold')),
    holdForm,
    h('h2', null, bi('용도별 보존 기간', 'Retention per purpose')),
    retentionForm,
    exportsPanel.el);

  let purposes = null;
  let defaultDays = null;
  let defaultHours = null; // hours after which footage moves to the archive; null: no archive
  let loaded = false;

  function cameraCell(id) {
    const cell = h('td', null, h('code', null, id));
    const known = cameras.get(id);
    const fill = (camera) => replace(cell, h('span', { title: id }, text(cameraLabel(camera))), ' ', h('span', { class: 'muted' }, cameraDetail(camera)));
    if (known && !(known instanceof Promise)) {
      fill(known);
    } else {
      const request = known || context.api.get(`/api/cameras/${encodeURIComponent(id)}`);
      cameras.set(id, request);
      request.then((camera) => {
        cameras.set(id, camera);
        fill(camera);
      }).catch(() => cameras.delete(id));
    }
    return cell;
  }

  async function loadHolds() {
    try {
      const holds = await context.api.get('/api/holds');
      const list = Array.isArray(holds) ? holds : [];
      message(holdsProblem, 'error', '');
      replace(holdsBody, list.length ? list.map(holdRow)
        : h('tr', null, h('td', { colspan: '7', class: 'empty' }, bi('보존 조치 없음', 'No active holds'))));
    } catch (error) {
      message(holdsProblem, 'error', errorText(error));
    }
  }

  function holdRow(hold) {
    const release = confirmButton(bi('해제', 'Release'), bi('정말 해제?', 'Really release?'), async () => {
      try {
        await context.api.del(`/api/holds/${encodeURIComponent(hold.id)}`);
        message(holdsProblem, 'ok', '보존 조치를 해제했습니다 · Hold released');
        await loadHolds();
      } catch (error) {
        message(holdsProblem, 'error', errorText(error));
      }
    });
    return h('tr', { dataset: { hold: String(hold.id) } },
      cameraCell(String(hold.cameraId)),
      h('td', { class: 'nowrap' }, formatTime(hold.from)),
      h('td', { class: 'nowrap' }, formatTime(hold.to)),
      h('td', null, text(hold.reason)),
      h('td', null, text(hold.createdBy)),
      h('td', { class: 'nowrap' }, formatTime(hold.createdAt)),
      h('td', { class: 'actions' }, release));
  }

  holdForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { cameraId: cameraId.value.trim(), from: isoFrom(from), to: isoFrom(to), reason: reason.value.trim() };
    if (!body.cameraId) return message(holdStatus, 'error', '카메라를 고르세요 · Choose a camera');
    if (!body.from || !body.to) return message(holdStatus, 'error', '시작과 끝을 입력하세요 · Enter from and to');
    if (Date.parse(body.from) >= Date.parse(body.to)) return message(holdStatus, 'error', '시작이 끝보다 앞서야 합니다 · From must be before to');
    if (body.reason.length < 3) return message(holdStatus, 'error', '사유를 3자 이상 적으세요 · Give a reason (at least 3 characters)');
    addHold.disabled = true;
    try {
      await context.api.post('/api/holds', body);
      message(holdStatus, 'ok', '보존 조치를 추가했습니다 · Hold added');
      reason.value = '';
      await loadHolds();
    } catch (error) {
      message(holdStatus, 'error', error instanceof ApiError && error.status === 404
        ? `카메라를 찾을 수 없습니다 · No such camera (${errorText(error)})` : errorText(error));
    } finally {
      addHold.disabled = false;
    }
  });

  async function loadRetention() {
    try {
      const [book, settings] = await Promise.all([context.getPurposes(), context.api.get('/api/retention')]);
      purposes = book;
      defaultDays = Number.isFinite(settings?.defaultDays) ? settings.defaultDays : null;
      const days = settings?.purposes && typeof settings.purposes === 'object' ? settings.purposes : {};
      defaultHours = Number.isFinite(settings?.defaultArchiveAfterHours) ? settings.defaultArchiveAfterHours : null;
      const hours = settings?.archiveAfterHours && typeof settings.archiveAfterHours === 'object' ? settings.archiveAfterHours : {};
      archiveHead.hidden = defaultHours === null;
      replace(defaultNote, bi('비워 두면 기본값', 'Empty means the default'), ': ',
        h('strong', null, defaultDays === null ? '—' : `${defaultDays}일 days`),
        defaultHours === null ? null : [', ', bi('보관 저장소로 이동', 'moved to the archive after'), ' ', h('strong', null, `${defaultHours} h`)],
        ' · ', bi('카메라별 설정이 있으면 그것이 우선합니다', 'a camera\'s own setting wins over its purpose'),
        Number.isFinite(settings?.exportKeepDays) ? [' · ', h('span', { id: 'retention-export-days' },
          bi('증거 내보내기 보관', 'evidence exports kept'), ' ', h('strong', null, `${settings.exportKeepDays}일 days`),
          ' ', bi('(법적 보존 중에는 더 길게)', '(longer under a legal hold)'))] : null);
      const codes = [...new Set([...purposes.list.map((purpose) => purpose.code), ...Object.keys(days)])];
      replace(retentionBody, codes.map((code) => {
        const input = h('input', {
          type: 'number', min: '1', max: '3650', step: '1', name: code, id: `retention-${code}`,
          value: Number.isInteger(days[code]) ? String(days[code]) : '',
          placeholder: defaultDays === null ? '' : String(defaultDays),
        });
        const moveAfter = defaultHours === null ? null : h('td', { class: 'number' }, h('input', {
          type: 'number', min: '0', max: '87600', step: 'any', name: code, id: `archive-after-${code}`, class: 'archive-after',
          'aria-label': `${purposes.label(code)}: 보관 저장소로 이동 (시간) · move to archive after (hours)`,
          value: Number.isFinite(hours[code]) ? String(hours[code]) : '',
          placeholder: String(defaultHours),
        }));
        return h('tr', null,
          h('td', null, h('label', { for: `retention-${code}` }, purposes.label(code))),
          h('td', { class: 'number' }, input),
          moveAfter);
      }));
      message(retentionStatus, 'error', '');
    } catch (error) {
      message(retentionStatus, 'error', errorText(error));
    }
  }

  retentionForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const purposesDays = {};
    for (const input of retentionBody.querySelectorAll('input[type="number"]:not(.archive-after)')) {
      const value = input.value.trim();
      if (value === '') continue;
      const days = Number(value);
      if (!Number.isInteger(days) || days < 1 || days > 3650) {
        input.focus();
        return message(retentionStatus, 'error', `${purposes?.korean(input.name) ?? input.name}: 1–3650일 · days`);
      }
      purposesDays[input.name] = days;
    }
    const body = { purposes: purposesDays };
    if (defaultHours !== null) {
      body.archiveAfterHours = {};
      for (const input of retentionBody.querySelectorAll('input.archive-after')) {
        const value = input.value.trim();
        if (value === '') continue;
        const hours = Number(value);
        if (!Number.isFinite(hours) || hours < 0 || hours > 87600) {
          input.focus();
          return message(retentionStatus, 'error', `${purposes?.korean(input.name) ?? input.name}: 0–87600시간 · hours`);
        }
        body.archiveAfterHours[input.name] = hours;
      }
    }
    saveRetention.disabled = true;
    try {
      await context.api.put('/api/retention', body);
      message(retentionStatus, 'ok', '보존 기간을 저장했습니다 · Retention saved');
      await loadRetention();
      message(retentionStatus, 'ok', '보존 기간을 저장했습니다 · Retention saved');
    } catch (error) {
      message(retentionStatus, 'error', errorText(error));
    } finally {
      saveRetention.disabled = false;
    }
  });

  return {
    el,
    show() {
      storage.show();
      loadHolds(); // holds and exports change from other consoles; the rest loads once
      exportsPanel.load();
      if (loaded) return;
      loaded = true;
      loadRetention();
      picker.load();
    },
    hide() {
      storage.hide();
    },
    destroy() {
      picker.destroy();
      storage.destroy();
    },
  };
}
