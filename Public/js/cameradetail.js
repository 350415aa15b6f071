// The detail row under a camera in the camera table: health and its history
// (GET /api/cameras/:id/health) for everyone; the stream (GET /api/cameras/:id/stream) read-only
// for maintenance, and for administrators a form to set or remove it (PUT/DELETE) and the
// camera's own retention period (PATCH /api/cameras/:id {retentionDays}); a link to the camera's
// analytics rules (rules.js) for those who draw or check them; for parking cameras the switch to
// crime watch and back (retasking.js).
// The stream password is never shown or pre-filled: empty keeps it, the checkbox removes it.

import { ApiError, errorText } from './api.js';
import { bi, confirmButton, formatTime, h, message, replace, text } from './dom.js';
import { healthBadge } from './labels.js';

/** Analysis profiles of GET /api/cameras/:id/health's `analysis`: [Korean, English]. */
const ANALYSIS_PROFILES = {
  detectorLed: ['검출기 기반', 'detector-led'],
  motionOnly: ['움직임만', 'motion only'],
  off: ['꺼짐', 'off'],
};
import { cameraLabel } from './camerapicker.js';
import { addToWall } from './wallstore.js';
import { createRetaskingBlock } from './retasking.js';

const VIEWERS = ['administrator', 'operator', 'police'];

export function createCameraDetail(context, camera, { colspan, onUpdated, onClose }) {
  const isAdministrator = context.can(['administrator']);
  const id = encodeURIComponent(camera.id);
  const healthBox = h('div', { class: 'detail-health' }, bi('불러오는 중…', 'Loading…'));
  const closeButton = h('button', { type: 'button', class: 'button-small button-quiet', title: '닫기 Close' }, '×');
  const actions = h('div', { class: 'button-row' });
  const blocks = [
    h('section', { class: 'detail-block' },
      h('h3', null, bi('상태', 'Health')), healthBox, actions),
  ];

  if (context.can(VIEWERS)) {
    const wallStatus = h('span', { class: 'hint', role: 'status' });
    const addButton = h('button', { type: 'button', class: 'button-small' }, bi('영상벽에 추가', 'Add to wall'));
    addButton.addEventListener('click', () => {
      const { index, already } = addToWall(context.user, { id: String(camera.id), label: cameraLabel(camera) });
      wallStatus.textContent = index === 0
        ? '빈 칸 없음 · No empty tile on the wall'
        : `${already ? '이미 ' : ''}${index}번 칸 · ${already ? 'already in' : 'added to'} tile ${index}`;
    });
    actions.append(addButton,
      h('a', { class: 'button-link', href: `#playback?camera=${id}` }, bi('녹화 재생', 'Playback')),
      wallStatus);
  }

  if (context.can(['administrator', 'operator', 'privacyOfficer'])) {
    actions.append(h('a', { class: 'button-link camera-rules-link', href: `#rules?camera=${id}` }, bi('분석 규칙', 'Analytics rules')));
  }

  const retasking = createRetaskingBlock(context, camera, { onChanged: (fresh) => onUpdated?.(fresh) });
  if (retasking) blocks.push(retasking);

  const streamBox = h('div', { class: 'detail-stream' });
  if (context.can(['administrator', 'maintenance'])) {
    blocks.push(h('section', { class: 'detail-block' }, h('h3', null, bi('스트림', 'Stream')), streamBox));
  }

  const retentionStatus = h('p', { hidden: true });
  if (isAdministrator) {
    const days = h('input', { type: 'number', id: 'camera-retention-days', min: '0', max: '3650', step: '1', required: true });
    const save = h('button', { type: 'submit', class: 'button-small button-primary' }, bi('저장', 'Save'));
    const form = h('form', { class: 'stack', id: 'camera-retention-form', novalidate: true },
      h('p', { class: 'hint' }, bi('등록부 보관일수', 'Registry says'), `: ${text(camera.retentionDays)}`),
      h('label', { for: 'camera-retention-days' }, bi('이 카메라 보존 일수', 'Days to keep this camera')),
      days,
      h('p', { class: 'hint' }, bi('0 = 용도별 기간을 따름', '0 = use the purpose\'s period')),
      retentionStatus,
      save);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const value = Number(days.value);
      if (days.value.trim() === '' || !Number.isInteger(value) || value < 0 || value > 3650) {
        message(retentionStatus, 'error', '0–3650 사이의 정수 · a whole number from 0 to 3650');
        return;
      }
      save.disabled = true;
      try {
        const updated = await context.api.patch(`/api/cameras/${id}`, { retentionDays: value });
        message(retentionStatus, 'ok', value === 0 ? '용도별 기간으로 되돌렸습니다 · Back to the purpose\'s period' : `${value}일 보존 · Keeping ${value} days`);
        onUpdated?.(updated);
      } catch (error) {
        message(retentionStatus, 'error', errorText(error));
      } finally {
        save.disabled = false;
      }
    });
    blocks.push(h('section', { class: 'detail-block' }, h('h3', null, bi('보존', 'Retention')), form));
  }

  const row = h('tr', { class: 'camera-detail', dataset: { camera: String(camera.id) } },
    h('td', { colspan: String(colspan) },
      h('div', { class: 'camera-detail-head' },
        h('strong', null, text(cameraLabel(camera))), ' ',
        h('code', { class: 'muted' }, String(camera.id)),
        h('span', { class: 'spacer' }),
        closeButton),
      h('div', { class: 'camera-detail-grid' }, blocks)));
  closeButton.addEventListener('click', () => onClose?.());

  /** Where this server analyses the camera; a camera that should be detector-led and is not says why. */
  function analysisLine(analysis) {
    if (!analysis?.profile) return null;
    const [korean, english] = ANALYSIS_PROFILES[analysis.profile] || [analysis.profile, analysis.profile];
    return h('p', { class: 'detail-analysis', dataset: { profile: analysis.profile } }, bi('분석', 'Analysis'), ': ', bi(korean, english),
      analysis.reason ? h('span', { class: 'analysis-warning' }, ' — ', text(analysis.reason)) : null);
  }

  async function loadHealth() {
    try {
      const health = await context.api.get(`/api/cameras/${id}/health`);
      const history = Array.isArray(health?.history) ? health.history.slice(0, 10) : [];
      replace(healthBox,
        h('p', null, healthBadge(health?.health, health?.reason), ' ',
          health?.since ? h('span', { class: 'muted' }, `${formatTime(health.since)}부터 since`) : null),
        health?.reason ? h('p', null, text(health.reason)) : null,
        h('p', null, bi('녹화', 'Recording'), ': ',
          health?.recording ? h('span', { class: 'flag-on' }, bi('중', 'yes')) : h('span', { class: 'flag-off' }, bi('안 함', 'no'))),
        analysisLine(health?.analysis),
        history.length
          ? h('table', { class: 'data compact' },
            h('caption', null, bi('최근 변화', 'Recent changes')),
            h('tbody', null, history.map((change) => h('tr', null,
              h('td', { class: 'nowrap' }, formatTime(change.at)),
              h('td', { class: 'nowrap' }, `${text(change.from)} → ${text(change.to)}`),
              h('td', null, text(change.reason))))))
          : null);
    } catch (error) {
      replace(healthBox, h('p', { class: 'message message-error' }, errorText(error)));
    }
  }

  function streamReadOnly(stream) {
    return h('dl', { class: 'detail-list' },
      h('dt', null, bi('주 스트림', 'Main URL')), h('dd', null, h('code', null, text(stream.mainURL))),
      h('dt', null, bi('보조 스트림', 'Sub URL')), h('dd', null, h('code', null, text(stream.subURL))),
      h('dt', null, bi('사용자', 'User')), h('dd', null, text(stream.username)),
      h('dt', null, bi('비밀번호', 'Password')), h('dd', null, stream.hasPassword ? bi('설정됨', 'set') : bi('없음', 'none')),
      h('dt', null, bi('반복', 'Loop')), h('dd', null, stream.loop ? bi('예', 'yes') : bi('아니오', 'no')));
  }

  function streamForm(stream) {
    const field = (name, label, input) => [h('label', { for: `stream-${name}` }, label), input];
    const mainURL = h('input', { type: 'text', id: 'stream-main-url', name: 'mainURL', value: stream?.mainURL ?? '', required: true, autocomplete: 'off', spellcheck: 'false', placeholder: 'rtsp://…' });
    const subURL = h('input', { type: 'text', id: 'stream-sub-url', name: 'subURL', value: stream?.subURL ?? '', autocomplete: 'off', spellcheck: 'false' });
    const username = h('input', { type: 'text', id: 'stream-username', name: 'username', value: stream?.username ?? '', autocomplete: 'off', spellcheck: 'false' });
    // Never pre-filled, and new-password keeps the browser from offering the console login.
    const password = h('input', {
      type: 'password', id: 'stream-password', name: 'password', autocomplete: 'new-password',
      placeholder: stream?.hasPassword ? '비워 두면 유지 · leave empty to keep' : '없음 · none set',
    });
    const removePassword = h('input', { type: 'checkbox', id: 'stream-remove-password', name: 'removePassword', disabled: !stream?.hasPassword });
    const loop = h('input', { type: 'checkbox', id: 'stream-loop', name: 'loop', checked: Boolean(stream?.loop) });
    const status = h('p', { hidden: true });
    const save = h('button', { type: 'submit', class: 'button-small button-primary' }, bi('저장', 'Save'));
    const remove = stream ? confirmButton(bi('스트림 삭제', 'Remove stream'), bi('정말? 녹화가 멈춥니다', 'Really? Recording stops'), async () => {
      try {
        await context.api.del(`/api/cameras/${id}/stream`);
        replace(streamBox, streamForm(null), h('p', { class: 'message message-ok' }, '스트림을 삭제했습니다 · Stream removed'));
      } catch (error) {
        message(status, 'error', errorText(error));
      }
    }) : null;
    removePassword.addEventListener('change', () => {
      password.disabled = removePassword.checked;
      if (removePassword.checked) password.value = '';
    });
    const form = h('form', { id: 'stream-form', class: 'stack', novalidate: true },
      stream ? null : h('p', { class: 'hint' }, bi('스트림이 없어 녹화하지 않습니다', 'No stream: this camera is not recorded')),
      field('main-url', bi('주 스트림 URL', 'Main URL'), mainURL),
      field('sub-url', bi('보조 스트림 URL (분석용, 선택)', 'Sub URL (analysis, optional)'), subURL),
      field('username', bi('사용자 이름', 'User name'), username),
      field('password', bi('비밀번호', 'Password'), password),
      h('label', { class: 'check' }, removePassword, ' ', bi('비밀번호 삭제', 'Remove password')),
      h('label', { class: 'check' }, loop, ' ', bi('반복 재생 (파일 소스)', 'Loop (file sources)')),
      h('p', { class: 'hint' }, bi('URL 안의 계정 정보는 서버가 따로 보관합니다', 'Credentials inside a URL are moved out by the server')),
      status,
      h('div', { class: 'button-row' }, save, remove));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const body = { mainURL: mainURL.value.trim(), loop: loop.checked };
      if (!body.mainURL) {
        message(status, 'error', '주 스트림 URL을 입력하세요 · Enter the main URL');
        mainURL.focus();
        return;
      }
      if (subURL.value.trim()) body.subURL = subURL.value.trim();
      if (username.value.trim()) body.username = username.value.trim();
      if (removePassword.checked) body.password = '';
      else if (password.value !== '') body.password = password.value;
      save.disabled = true;
      try {
        const saved = await context.api.put(`/api/cameras/${id}/stream`, body);
        replace(streamBox, streamForm(saved));
        const note = h('p', { class: 'message message-ok', role: 'status' }, '저장했습니다 · Saved');
        streamBox.querySelector('#stream-form .button-row').before(note);
      } catch (error) {
        message(status, 'error', errorText(error));
      } finally {
        save.disabled = false;
        password.value = '';
      }
    });
    return form;
  }

  async function loadStream() {
    replace(streamBox, bi('불러오는 중…', 'Loading…'));
    let stream = null;
    try {
      stream = await context.api.get(`/api/cameras/${id}/stream`);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) {
        replace(streamBox, h('p', { class: 'message message-error' }, errorText(error)));
        return;
      }
    }
    if (isAdministrator) replace(streamBox, streamForm(stream));
    else replace(streamBox, stream ? streamReadOnly(stream) : h('p', { class: 'hint' }, bi('스트림 없음 (녹화 안 함)', 'No stream (not recorded)')));
  }

  loadHealth();
  if (context.can(['administrator', 'maintenance'])) loadStream();

  return { row };
}
