// Police provision (영상 제공): file a request (POST /api/provision/requests), the privacy
// officer approves or refuses it, an operator marks the third parties to blur on the camera's
// snapshot (PUT …/boxes; two clicks give a box's corners, drawn with the rule editor's canvas),
// the approved footage is exported blurred (POST …/export), and the ledger, the view log and
// data-subject requests with their days left are at the bottom.

import { errorText } from './api.js';
import { bi, formatTime, h, isoFrom, localInputValue, message, replace, text } from './dom.js';
import { cameraDetail, cameraLabel, createCameraPicker } from './camerapicker.js';
import { createRuleCanvas, snapshotDataURL } from './ruledraw.js';

/** How long a followed export keeps asking a server that cannot be reached (a restart). */
const FOLLOW_UNREACHABLE_MS = 3 * 60 * 1000;

const BASES = [
  ['criminalInvestigation', '범죄 수사·공소 (제18조②7)'], ['urgentSafety', '급박한 생명·신체·재산 (제18조②3)'],
  ['courtProceedings', '법원 재판업무 (제18조②8)'], ['sentenceExecution', '형·감호·보호처분 집행 (제18조②9)'],
  ['specialLaw', '다른 법률의 특별한 규정 (제18조②2)'], ['consent', '정보주체의 별도 동의 (제18조②1)'], ['other', '기타 (직접 기재)'],
];
const STATUS = {
  requested: ['요청', 'Requested'], approved: ['승인', 'Approved'], refused: ['거부', 'Refused'], exported: ['제공 완료', 'Provided'],
  open: ['접수', 'Open'], extended: ['연장', 'Extended'], answered: ['답변', 'Answered'],
};

function field(id, korean, english, input) {
  return [h('label', { for: id }, bi(korean, english)), input];
}

export function createProvisionView(context) {
  const { api } = context;
  const canFile = context.can(['administrator', 'operator', 'police']);
  const canDecide = context.can(['privacyOfficer']);
  const canMark = context.can(['administrator', 'operator']);
  const canExport = context.can(['administrator', 'operator', 'privacyOfficer']);
  const canAudit = context.can(['administrator', 'privacyOfficer']);
  const canSubjects = context.can(['administrator', 'operator', 'privacyOfficer']);
  const canSeeVideo = context.can(['administrator', 'operator', 'police']);
  let requests = [];
  let selected = null; // the request shown in the detail panel
  let boxes = []; // the selected request's boxes being edited
  let boxCamera = null;

  // ---- new request ----
  const input = (id, attrs = {}) => h('input', { type: 'text', id, name: id.replace('provision-', ''), autocomplete: 'off', ...attrs });
  const officer = input('provision-officer', { maxlength: '100', required: true, placeholder: '경위 홍길동' });
  const agency = input('provision-agency', { maxlength: '200', required: true, placeholder: '서울강남경찰서 형사과' });
  const caseNumber = input('provision-case', { maxlength: '100', required: true });
  const basis = h('select', { id: 'provision-basis', name: 'legalBasis' }, BASES.map(([value, label]) => h('option', { value }, label)));
  const basisDetail = input('provision-basis-detail', { maxlength: '500', placeholder: '법률·조항 · law and article' });
  const purpose = h('textarea', { id: 'provision-purpose', name: 'purpose', rows: '2', maxlength: '1000', required: true });
  const cameraIds = input('provision-cameras', { placeholder: 'UUID, UUID…', spellcheck: 'false' });
  const from = h('input', { type: 'datetime-local', id: 'provision-from', step: '1', required: true });
  const to = h('input', { type: 'datetime-local', id: 'provision-to', step: '1', required: true });
  const fileStatus = h('p', { hidden: true });
  const picker = createCameraPicker(context, {
    id: 'provision-camera-picker', pickLabel: ['추가', 'Add'], limit: 20,
    onPick(camera) {
      const ids = cameraIds.value.split(/[\s,]+/).filter(Boolean);
      if (!ids.includes(String(camera.id))) ids.push(String(camera.id));
      cameraIds.value = ids.join(', ');
      message(fileStatus, 'info', `${cameraLabel(camera)} ${cameraDetail(camera)}`);
    },
  });
  const fileForm = h('form', { id: 'provision-form', class: 'hold-form', novalidate: true, hidden: !canFile },
    h('div', { class: 'stack' }, h('label', { for: 'provision-camera-picker-search' }, bi('카메라 검색', 'Find cameras')), picker.el),
    h('div', { class: 'stack' },
      field('provision-officer', '요청 경찰관', 'Officer', officer), field('provision-agency', '소속 기관', 'Agency', agency),
      field('provision-case', '사건 번호', 'Case number', caseNumber), field('provision-basis', '법적 근거', 'Legal basis', basis),
      field('provision-basis-detail', '근거 상세', 'Basis detail', basisDetail), field('provision-purpose', '목적', 'Purpose', purpose),
      field('provision-cameras', '카메라 ID', 'Camera ids', cameraIds), field('provision-from', '시작', 'From', from), field('provision-to', '끝', 'To', to),
      fileStatus,
      h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'button-primary' }, bi('제공 요청', 'File request')))));
  fileForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const created = await api.post('/api/provision/requests', {
        officerName: officer.value, agency: agency.value, caseNumber: caseNumber.value, legalBasis: basis.value,
        legalBasisDetail: basisDetail.value, purpose: purpose.value,
        cameraIds: cameraIds.value.split(/[\s,]+/).filter(Boolean), from: isoFrom(from), to: isoFrom(to),
      });
      message(fileStatus, 'ok', bi('요청이 접수되었습니다', 'Request filed'));
      await loadRequests();
      select(created.id);
    } catch (error) {
      message(fileStatus, 'error', errorText(error));
    }
  });

  // ---- requests ----
  const requestsBody = h('tbody');
  const listProblem = h('p', { hidden: true });
  async function loadRequests() {
    try {
      requests = await api.get('/api/provision/requests');
      message(listProblem, 'info', null);
    } catch (error) {
      message(listProblem, 'error', errorText(error));
      return;
    }
    replace(requestsBody, requests.length === 0
      ? h('tr', null, h('td', { colspan: '6', class: 'muted' }, bi('요청 없음', 'No requests')))
      : requests.map((request) => h('tr', { dataset: { id: request.id }, class: selected?.id === request.id ? 'selected' : null },
        h('td', null, h('button', { type: 'button', class: 'button-link', on: { click: () => select(request.id) } }, text(request.caseNumber))),
        h('td', null, text(request.agency)), h('td', null, text(request.officerName)),
        h('td', { class: `status-${request.status}` }, bi(...STATUS[request.status])),
        h('td', null, `${formatTime(request.from)} – ${formatTime(request.to)}`), h('td', null, formatTime(request.requestedAt)))));
  }

  // ---- the selected request ----
  const detail = h('div', { id: 'provision-detail', class: 'panel-block', hidden: true });
  const detailStatus = h('p', { hidden: true });
  const refuseReason = h('input', { type: 'text', id: 'provision-refuse-reason', maxlength: '500', placeholder: '거부 사유 · reason' });
  const canvas = createRuleCanvas({ id: 'provision-canvas' });
  const boxCameraSelect = h('select', { id: 'provision-box-camera' });
  const boxList = h('ul', { id: 'provision-boxes', class: 'plain-list' });
  const boxFrom = h('input', { type: 'datetime-local', id: 'provision-box-from', step: '1' });
  const boxTo = h('input', { type: 'datetime-local', id: 'provision-box-to', step: '1' });
  const exportResult = h('p', { id: 'provision-export-result', hidden: true });

  async function act(label, call) {
    try {
      const result = await call();
      message(detailStatus, 'ok', label);
      await loadRequests();
      select(selected.id);
      return result;
    } catch (error) {
      message(detailStatus, 'error', errorText(error));
      return null;
    }
  }

  function drawBoxes() {
    canvas.setShapes(boxes.filter((box) => box.cameraId === boxCamera).map((box, index) => ({
      type: 'polygon', colour: '#ffb454', label: `#${index + 1}`,
      points: [{ x: box.box.x, y: box.box.y }, { x: box.box.x + box.box.width, y: box.box.y },
        { x: box.box.x + box.box.width, y: box.box.y + box.box.height }, { x: box.box.x, y: box.box.y + box.box.height }],
    })));
    replace(boxList, boxes.map((box, index) => h('li', null,
      `#${index + 1} ${box.cameraId.slice(0, 8)} (${box.box.x.toFixed(2)}, ${box.box.y.toFixed(2)}) ${box.box.width.toFixed(2)}×${box.box.height.toFixed(2)} · ${formatTime(box.from)} – ${formatTime(box.to)} `,
      h('button', { type: 'button', class: 'button-small', hidden: !canMark || !['requested', 'approved'].includes(selected.status), on: { click: () => { boxes.splice(index, 1); drawBoxes(); } } }, bi('삭제', 'Remove')))));
  }

  async function showSnapshot() {
    canvas.setPicture(null);
    // Snapshots are for the roles that watch video; a privacy officer sees the boxes on an empty frame.
    if (!boxCamera || !canSeeVideo) return;
    try { canvas.setPicture(await snapshotDataURL(boxCamera)); } catch (error) { message(detailStatus, 'info', errorText(error)); }
  }

  function addBox() {
    canvas.surface.focus?.();
    canvas.draw('line', (points) => {
      if (!points) return;
      const [a, b] = points;
      const x = Math.min(a.x, b.x), y = Math.min(a.y, b.y);
      boxes.push({ cameraId: boxCamera, box: { x, y, width: Math.abs(a.x - b.x), height: Math.abs(a.y - b.y) },
        from: isoFrom(boxFrom) || selected.from, to: isoFrom(boxTo) || selected.to });
      drawBoxes();
    });
  }

  function select(id) {
    selected = requests.find((request) => request.id === id) || null;
    detail.hidden = !selected;
    if (!selected) return;
    boxes = selected.boxes.map((box) => ({ ...box }));
    boxCamera = selected.cameraIds[0] || null;
    replace(boxCameraSelect, selected.cameraIds.map((camera) => h('option', { value: camera }, camera)));
    boxFrom.value = localInputValue(selected.from);
    boxTo.value = localInputValue(selected.to);
    const open = ['requested', 'approved'].includes(selected.status);
    replace(detail,
      h('h2', null, bi('요청', 'Request'), ` ${selected.caseNumber} · `, bi(...STATUS[selected.status])),
      h('dl', { class: 'facts' },
        h('dt', null, bi('요청자', 'Officer')), h('dd', null, `${selected.officerName} (${selected.agency})`),
        h('dt', null, bi('법적 근거', 'Legal basis')), h('dd', null, `${(BASES.find(([v]) => v === selected.legalBasis) || ['', selected.legalBasis])[1]} ${selected.legalBasisDetail}`),
        h('dt', null, bi('목적', 'Purpose')), h('dd', null, text(selected.purpose)),
        h('dt', null, bi('접수', 'Filed by')), h('dd', null, `${selected.requestedBy} · ${formatTime(selected.requestedAt)}`),
        selected.decidedBy ? [h('dt', null, bi('결정', 'Decided by')), h('dd', null, `${selected.decidedBy} · ${formatTime(selected.decidedAt)} ${selected.refusalReason || ''}`)] : null),
      detailStatus,
      canDecide && selected.status === 'requested' ? h('div', { class: 'button-row' },
        h('button', { type: 'button', id: 'provision-approve', class: 'button-primary', on: { click: () => act('승인됨 · Approved', () => api.post(`/api/provision/requests/${selected.id}/approve`, {})) } }, bi('승인', 'Approve')),
        refuseReason,
        h('button', { type: 'button', id: 'provision-refuse', on: { click: () => act('거부됨 · Refused', () => api.post(`/api/provision/requests/${selected.id}/refuse`, { reason: refuseReason.value })) } }, bi('거부', 'Refuse'))) : null,
      h('h3', null, bi('제3자 가림 상자', 'Third parties to blur')),
      h('p', { class: 'hint' }, bi('상자 추가 후 사진에서 두 모서리를 클릭하세요. 개인정보 마스크 영역은 항상 흐리게 처리됩니다.',
        'Add box, then click two corners on the picture. Privacy zones are always blurred.')),
      h('div', { class: 'button-row' }, boxCameraSelect, field('provision-box-from', '시작', 'From', boxFrom), field('provision-box-to', '끝', 'To', boxTo),
        h('button', { type: 'button', id: 'provision-add-box', hidden: !canMark || !open, on: { click: addBox } }, bi('상자 추가', 'Add box')),
        h('button', { type: 'button', id: 'provision-save-boxes', hidden: !canMark || !open, on: { click: () => act('저장됨 · Saved', () => api.put(`/api/provision/requests/${selected.id}/boxes`, { boxes })) } }, bi('상자 저장', 'Save boxes'))),
      canvas.el, boxList,
      canExport && selected.status === 'approved' ? h('div', { class: 'button-row' },
        h('button', { type: 'button', id: 'provision-export', class: 'button-primary', on: { click: exportRequest } }, bi('가림 처리 후 내보내기', 'Export blurred'))) : null,
      exportResult);
    if (selected.exportId && canExport) {
      message(exportResult, 'ok', providedLink(selected.id));
      showProvidedState(selected.id, selected.exportId);
    }
    drawBoxes();
    showSnapshot();
  }
  boxCameraSelect.addEventListener('change', () => { boxCamera = boxCameraSelect.value; drawBoxes(); showSnapshot(); });

  function providedLink(requestId) {
    return h('a', { href: `/api/provision/requests/${requestId}/download`, download: '' }, bi('제공 영상 내려받기', 'Download the provided footage'));
  }

  /**
   * Until when the provided footage is kept, or when it was deleted (GET /api/exports): an
   * export goes when its days are over, or earlier when destroyed (by whom and why), and its
   * link would then only fetch an error.
   */
  async function showProvidedState(requestId, exportId) {
    let record;
    try {
      const all = await api.get('/api/exports', { query: { id: exportId } });
      record = (Array.isArray(all) ? all : []).find((item) => String(item.id).toLowerCase() === String(exportId).toLowerCase());
    } catch {
      return; // the link stays; a download says itself what is wrong
    }
    if (!record || selected?.id !== requestId) return;
    const minute = (iso) => formatTime(iso).slice(0, 16);
    if (record.deletedAt && record.destroyedBy) {
      // Destroyed before its days were over (DELETE /api/exports/:id): by whom and why.
      const why = String(record.destroyReason || '');
      message(exportResult, 'warn', bi(
        `제공 영상은 ${minute(record.deletedAt)}에 ${record.destroyedBy}님이 파기했습니다 (사유: ${why}). 제공 기록은 대장에 남아 있습니다.`,
        `The provided footage was destroyed on ${minute(record.deletedAt)} by ${record.destroyedBy}: ${why}. The ledger keeps the record.`));
    } else if (record.deletedAt) {
      message(exportResult, 'warn', bi(
        `제공 영상은 보관 기한이 지나 ${minute(record.deletedAt)}에 삭제되었습니다. 제공 기록은 대장에 남아 있습니다.`,
        `The provided footage was deleted on ${minute(record.deletedAt)}, when its days were over; the ledger keeps the record.`));
    } else {
      message(exportResult, 'ok', [providedLink(requestId), ' · ', bi('보관 기한', 'kept until'), ` ${minute(record.keptUntil)}`]);
    }
  }

  /**
   * Starts the export in the background and follows it (cameras done of all, and how far in
   * per cent, the clip being cut counted by the time it reached) until it ends:
   * an hour of several cameras re-encoded with blurs takes minutes.
   */
  async function exportRequest(event) {
    // (the button itself: a click on its label targets the label's span)
    const button = event.currentTarget;
    button.disabled = true;
    const id = selected.id;
    const path = `/api/provision/requests/${encodeURIComponent(id)}/export`;
    const shown = (job) => message(exportResult, 'info', [bi('내보내는 중', 'Exporting'),
      job && job.cameras ? ` · 카메라 ${job.camerasDone}/${job.cameras} cameras` : ' …',
      job && Number.isFinite(job.percent) ? [' · ', h('progress', { id: 'provision-export-progress', max: '100', value: String(job.percent) }),
        ` ${job.percent} %`] : null]);
    shown(null);
    const result = await act('제공 완료 · Provided', async () => {
      let job = await api.post(`${path}?background=true`, {});
      let unreachableSince = null;
      while (job.state === 'running') {
        if (selected?.id === id && unreachableSince === null) shown(job);
        await new Promise((resolve) => { setTimeout(resolve, 1000); });
        try {
          job = await api.get(path);
          unreachableSince = null;
        } catch (error) {
          // A server restarting (or the front waiting for it) is not the export's end: keep
          // asking for a while; once it answers, the job says how it ended.
          if (![0, 502, 503, 504].includes(error.status)) throw error;
          unreachableSince = unreachableSince || Date.now();
          if (Date.now() - unreachableSince > FOLLOW_UNREACHABLE_MS) throw error;
          if (selected?.id === id) {
            message(exportResult, 'warn', bi('서버에 연결할 수 없어 다시 묻는 중', 'The server cannot be reached; asking again'));
          }
        }
      }
      if (job.state !== 'done') throw new Error(job.error || '내보내기 실패 · The export failed');
      return job.result;
    });
    if (!result) {
      message(exportResult, 'info', null);
      // Not provided: the request is still approved and may be exported again.
      button.disabled = false;
    } else loadLedger();
  }

  // ---- ledger ----
  const ledgerBody = h('tbody');
  const ledgerBlock = h('div', { hidden: !canAudit },
    h('h2', null, bi('제공 대장', 'Provision ledger')),
    h('div', { class: 'button-row' },
      h('a', { href: '/api/provision/ledger.csv', id: 'provision-ledger-csv', download: '', class: 'button' }, bi('대장 CSV', 'Ledger CSV')),
      h('a', { href: '/api/provision/viewlog.csv', id: 'provision-viewlog-csv', download: '', class: 'button' }, bi('열람 기록 CSV', 'View log CSV'))),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'provision-ledger' },
      h('thead', null, h('tr', null, ...[['제공 시각', 'Provided'], ['사건', 'Case'], ['받는 자', 'Recipient'], ['승인', 'Approved by'], ['내보낸 이', 'Exported by'], ['매니페스트', 'Manifest']]
        .map(([k, e]) => h('th', { scope: 'col' }, bi(k, e))))), ledgerBody)));
  async function loadLedger() {
    if (!canAudit) return;
    try {
      const entries = await api.get('/api/provision/ledger');
      replace(ledgerBody, entries.map((entry) => h('tr', null, h('td', null, formatTime(entry.providedAt)), h('td', null, text(entry.caseNumber)),
        h('td', null, `${entry.recipient} (${entry.agency})`), h('td', null, text(entry.approvedBy)), h('td', null, text(entry.exportedBy)),
        h('td', { class: 'mono' }, entry.manifestSHA256.slice(0, 16)))));
    } catch (error) {
      replace(ledgerBody, h('tr', null, h('td', { colspan: '6' }, errorText(error))));
    }
  }

  // ---- data-subject requests ----
  const subjectsBody = h('tbody');
  const subjectStatus = h('p', { hidden: true });
  const subjectName = input('subject-name', { maxlength: '100' });
  const subjectContact = input('subject-contact', { maxlength: '200' });
  const subjectWhat = h('textarea', { id: 'subject-description', rows: '2', maxlength: '2000' });
  const subjectForm = h('form', { id: 'subject-form', class: 'stack', novalidate: true },
    field('subject-name', '정보주체', 'Data subject', subjectName), field('subject-contact', '연락처', 'Contact', subjectContact),
    field('subject-description', '열람 대상 (장소·시간·인상착의)', 'What (place, time, how to recognise them)', subjectWhat), subjectStatus,
    h('div', { class: 'button-row' }, h('button', { type: 'submit' }, bi('열람 청구 접수', 'Record request'))));
  subjectForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api.post('/api/provision/subjects', { subjectName: subjectName.value, contact: subjectContact.value, description: subjectWhat.value });
      message(subjectStatus, 'ok', bi('접수됨 (10일 내 답변)', 'Recorded (answer within 10 days)'));
      loadSubjects();
    } catch (error) {
      message(subjectStatus, 'error', errorText(error));
    }
  });
  async function answer(id, outcome, noteInput) {
    const note = noteInput.value.trim();
    if (outcome !== 'answered' && !note) {
      message(subjectStatus, 'warn', '사유를 메모 칸에 적으세요 · Write the reason in the note field');
      noteInput.focus();
      return;
    }
    try {
      await api.post(`/api/provision/subjects/${id}/answer`, { outcome, note });
      loadSubjects();
    } catch (error) {
      message(subjectStatus, 'error', errorText(error));
    }
  }
  async function loadSubjects() {
    if (!canSubjects) return;
    try {
      const list = await api.get('/api/provision/subjects');
      const canAnswer = context.can(['administrator', 'privacyOfficer']);
      replace(subjectsBody, list.map(({ request, daysLeft, overdue }) => h('tr', { class: overdue ? 'overdue' : null },
        h('td', null, text(request.subjectName)), h('td', null, text(request.description)), h('td', null, formatTime(request.receivedAt)),
        h('td', null, formatTime(request.deadline)),
        h('td', { class: overdue ? 'message-error' : null }, daysLeft === null ? '—' : overdue ? bi(`${-daysLeft}일 지남`, 'overdue') : `${daysLeft}일 · ${daysLeft} days`),
        h('td', null, bi(...STATUS[request.status])),
        h('td', { dataset: { subject: request.id } }, canAnswer && ['open', 'extended'].includes(request.status) ? (() => {
          // The note goes with the answer; extending or refusing needs one (the law asks for the reason).
          const note = h('input', { type: 'text', class: 'subject-note', maxlength: '1000', placeholder: '메모·사유 Note / reason', 'aria-label': '메모·사유 Note or reason' });
          return [note,
            h('button', { type: 'button', class: 'button-small subject-answer', on: { click: () => answer(request.id, 'answered', note) } }, bi('답변', 'Answer')),
            request.status === 'open' ? h('button', { type: 'button', class: 'button-small subject-extend', on: { click: () => answer(request.id, 'extended', note) } }, bi('연장', 'Extend')) : null,
            h('button', { type: 'button', class: 'button-small subject-refuse', on: { click: () => answer(request.id, 'refused', note) } }, bi('거부', 'Refuse'))];
        })() : null))));
    } catch (error) {
      message(subjectStatus, 'error', errorText(error));
    }
  }

  const el = h('section', { class: 'panel', 'aria-labelledby': 'provision-title' },
    h('div', { class: 'view-head' }, h('h1', { id: 'provision-title' }, bi('영상 제공', 'Provision'))),
    h('p', { class: 'hint' }, bi('개인정보 보호법 제18조: 경찰 제공은 개인정보 보호책임자의 승인 후, 제3자를 가린 영상으로만 합니다.',
      'Footage goes to the police only after the privacy officer approves, with third parties blurred.')),
    listProblem,
    h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'provision-requests' },
      h('thead', null, h('tr', null, ...[['사건', 'Case'], ['기관', 'Agency'], ['경찰관', 'Officer'], ['상태', 'Status'], ['구간', 'Range'], ['접수', 'Filed']]
        .map(([k, e]) => h('th', { scope: 'col' }, bi(k, e))))), requestsBody)),
    detail,
    canFile ? [h('h2', null, bi('새 제공 요청', 'New request')), fileForm] : null,
    ledgerBlock,
    canSubjects ? [h('h2', null, bi('정보주체 열람 청구', 'Data-subject requests')), subjectForm,
      h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'subject-requests' },
        h('thead', null, h('tr', null, ...[['정보주체', 'Subject'], ['내용', 'What'], ['접수', 'Received'], ['기한', 'Deadline'], ['남은 날', 'Days left'], ['상태', 'Status'], ['', '']]
          .map(([k, e]) => h('th', { scope: 'col' }, k ? bi(k, e) : '')))), subjectsBody))] : null);

  let pickerLoaded = false;
  return {
    el,
    show() {
      loadRequests();
      loadLedger();
      loadSubjects();
      if (canFile && !pickerLoaded) { pickerLoaded = true; picker.load(); }
    },
    destroy() {
      picker.destroy();
    },
  };
}
