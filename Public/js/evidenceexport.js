// Evidence export from playback (administrator, operator, privacy officer): the camera being
// played, a stretch marked at the player's time or typed, and the reason the law asks for →
// POST /api/exports?background=true. The server cuts one clip (re-encoded behind black boxes
// when the exporter may not see behind the camera's privacy masks, which takes minutes for an
// hour), signs the manifest and audit-logs it; meanwhile the form follows the job
// (GET /api/exports/jobs/:id, once a second) with a progress bar, and once done links the zip
// (GET /api/exports/:id/download).
//
// Test hooks: #export-from, #export-to, #export-reason, #export-mark-start, #export-mark-end,
// #export-submit, #export-progress (while it runs), #export-result (a[id=export-download] and
// #export-kept-until once made),
// #export-recent (a table #export-recent-table, a row tr[data-export=ID] per export of the camera;
// one destroyed early says who destroyed it and why: the retention view destroys exports).

import { errorText } from './api.js';
import { bi, formatTime, h, isoFrom, localInputValue, message, replace } from './dom.js';

/** The API's limit on one export. */
const MAXIMUM_HOURS = 24;

/**
 * `playedTime()` gives the player's moment (ms) or null when nothing plays.
 * Returns `{ el, setCamera(camera) }`; `el` is null for roles that may not export.
 */
export function createEvidenceExport(context, { playedTime }) {
  if (!context.can(['administrator', 'operator', 'privacyOfficer'])) return { el: null, setCamera() {} };
  let camera = null;
  const from = h('input', { type: 'datetime-local', id: 'export-from', name: 'from', step: '1' });
  const to = h('input', { type: 'datetime-local', id: 'export-to', name: 'to', step: '1' });
  const reason = h('input', { type: 'text', id: 'export-reason', name: 'reason', maxlength: '500', autocomplete: 'off',
    placeholder: '민원·사건 번호와 사유 · case number and why' });
  const markStart = h('button', { type: 'button', id: 'export-mark-start', class: 'button-small' }, bi('지금 시각을 시작으로', 'Start here'));
  const markEnd = h('button', { type: 'button', id: 'export-mark-end', class: 'button-small' }, bi('지금 시각을 끝으로', 'End here'));
  const submit = h('button', { type: 'submit', id: 'export-submit', class: 'button-primary' }, bi('내보내기', 'Export'));
  const result = h('p', { id: 'export-result', hidden: true });
  const form = h('form', { id: 'export-form', class: 'stack', novalidate: true },
    h('div', { class: 'button-row' },
      h('label', { for: 'export-from' }, bi('시작', 'From')), from, markStart,
      h('label', { for: 'export-to' }, bi('끝', 'To')), to, markEnd),
    h('label', { for: 'export-reason' }, bi('사유 (필수, 감사 기록됨)', 'Reason (required, audit-logged)')), reason,
    h('p', { class: 'hint' }, bi(
      `한 번에 최대 ${MAXIMUM_HOURS}시간. 사생활 보호 영역이 있는 카메라는 가려서 다시 인코딩하므로 긴 구간은 몇 분 걸립니다.`,
      `At most ${MAXIMUM_HOURS} h at once. A camera with privacy masks is re-encoded behind them, which takes minutes for a long stretch.`)),
    h('div', { class: 'button-row' }, submit), result);
  const recent = h('div', { id: 'export-recent' });
  const el = h('details', { id: 'playback-export', class: 'playback-export' },
    h('summary', null, bi('증거 내보내기', 'Export evidence')), form,
    h('div', { class: 'playback-export-recent' }, h('h4', null, bi('이 카메라의 내보내기', 'Exports of this camera')), recent));

  /** The exports of the camera shown (GET /api/exports), newest first, while the fold is open. */
  async function showRecent() {
    if (!el.open || !camera) return;
    const shown = camera.id;
    try {
      const all = await context.api.get('/api/exports', { query: { limit: 50, cameraId: shown } });
      if (camera?.id !== shown) return;
      const mine = Array.isArray(all) ? all : [];
      if (!mine.length) {
        replace(recent, h('p', { class: 'muted' }, bi('아직 없습니다', 'None yet')));
        return;
      }
      const minute = (iso) => formatTime(iso).slice(0, 16);
      // "MM-DD HH:MM:SS–HH:MM:SS", the end's date too when it is another day.
      const stretch = (from, to) => {
        const [start, end] = [formatTime(from), formatTime(to)];
        return `${start.slice(5)}–${start.slice(0, 10) === end.slice(0, 10) ? end.slice(11) : end.slice(5)}`;
      };
      replace(recent, h('table', { class: 'data compact', id: 'export-recent-table' },
        h('thead', null, h('tr', null,
          h('th', null, bi('만든 때', 'Made')), h('th', null, bi('구간', 'Stretch')), h('th', null, bi('누가', 'By')),
          h('th', null, bi('사유', 'Reason')), h('th', null, bi('보관 기한', 'Kept until')))),
        h('tbody', null, ...mine.map((item) => h('tr', { 'data-export': item.id },
          h('td', null, minute(item.createdAt)),
          h('td', null, stretch(item.from, item.to)),
          h('td', null, item.requestedBy),
          h('td', null, item.reason),
          h('td', null, item.download
            ? [`${minute(item.keptUntil)} · `, h('a', { href: item.download, download: '' }, bi('내려받기', 'Download'))]
            : item.destroyedBy
              ? [bi('파기됨', 'destroyed'), ` ${minute(item.deletedAt)} · ${item.destroyedBy}: ${item.destroyReason || ''}`]
              : [bi('삭제됨', 'deleted'), ` ${minute(item.deletedAt)}`]))))));
    } catch (error) {
      replace(recent, h('p', { class: 'error' }, errorText(error)));
    }
  }

  /** Marks `input` at the player's moment, or says why it cannot. */
  function mark(input) {
    const at = playedTime();
    if (at === null) {
      message(result, 'warn', bi('재생 중인 영상이 없습니다. 타임라인을 누르거나 시각을 입력하세요', 'Nothing is playing: click the timeline or type the time'));
      return;
    }
    input.value = localInputValue(Math.floor(at / 1000) * 1000);
    message(result, 'info', null);
  }
  /** A stretch not given yet: the minute around the player's moment. */
  function suggest() {
    const at = playedTime();
    if (at === null || from.value || to.value) return;
    from.value = localInputValue(Math.floor(at / 1000) * 1000 - 30_000);
    to.value = localInputValue(Math.floor(at / 1000) * 1000 + 30_000);
  }
  el.addEventListener('toggle', () => {
    if (!el.open) return;
    suggest();
    showRecent();
  });
  markStart.addEventListener('click', () => mark(from));
  markEnd.addEventListener('click', () => mark(to));

  /** What is wrong with the form, naming the field, or null. */
  function problem() {
    if (!camera) return [null, bi('카메라를 고르세요', 'Pick a camera')];
    const start = Date.parse(isoFrom(from));
    const end = Date.parse(isoFrom(to));
    if (!Number.isFinite(start)) return [from, bi('시작 시각을 입력하세요', 'From: give the start')];
    if (!Number.isFinite(end)) return [to, bi('끝 시각을 입력하세요', 'To: give the end')];
    if (end <= start) return [to, bi('끝이 시작보다 늦어야 합니다', 'To: must be after From')];
    if (end - start > MAXIMUM_HOURS * 3_600_000) return [to, bi(`한 번에 ${MAXIMUM_HOURS}시간까지입니다`, `To: at most ${MAXIMUM_HOURS} h after From`)];
    const why = reason.value.trim();
    if (why.length < 3) return [reason, bi('사유를 3자 이상 적으세요', 'Reason: write why (3 characters or more)')];
    return null;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const wrong = problem();
    if (wrong) {
      message(result, 'error', wrong[1]);
      wrong[0]?.focus();
      return;
    }
    submit.disabled = true;
    message(result, 'info', bi('내보내는 중… 가려서 다시 인코딩하면 몇 분 걸릴 수 있습니다', 'Exporting… re-encoding behind masks can take minutes'));
    try {
      let job = await context.api.post('/api/exports', {
        cameraIds: [camera.id], from: isoFrom(from), to: isoFrom(to), reason: reason.value.trim(),
      }, { query: { background: 'true' } });
      // Followed until it ends; the bar shows how far the cut has got.
      const bar = h('progress', { id: 'export-progress', max: '100', value: String(job.percent || 0) });
      const percent = h('span', null, `${job.percent || 0} %`);
      message(result, 'info', [bi('내보내는 중', 'Exporting'), ' ', bar, ' ', percent]);
      while (job.state === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        job = await context.api.get(`/api/exports/jobs/${encodeURIComponent(job.id)}`);
        bar.value = job.percent || 0;
        percent.textContent = `${job.percent || 0} %`;
      }
      if (job.state !== 'done' || !job.result) {
        message(result, 'error', [bi('내보내기 실패', 'The export failed'), `: ${job.error || job.state}`]);
        return;
      }
      const made = job.result;
      const clip = made.manifest.cameras[0] || {};
      const missing = Array.isArray(clip.missing) ? clip.missing.length : 0;
      message(result, 'ok', [
        bi('내보냄', 'Exported'), ` · ${made.manifest.files.length} `, bi('파일', 'files'),
        clip.masked ? [' · ', bi('가림 처리됨', 'masked')] : null,
        missing ? [' · ', bi(`녹화 없는 구간 ${missing}곳`, `${missing} stretches not recorded`)] : null,
        ' · ', h('a', { id: 'export-download', href: made.download, download: '' }, bi('내려받기 (zip)', 'Download (zip)')),
        ' · ', bi('서명 키', 'signing key'), ` ${made.signingKeyFingerprint}`,
        made.keptUntil ? [' · ', h('span', { id: 'export-kept-until' },
          bi('보관 기한', 'kept until'), ` ${formatTime(made.keptUntil).slice(0, 16)}`)] : null,
      ]);
      showRecent();
    } catch (error) {
      message(result, 'error', errorText(error));
    } finally {
      submit.disabled = false;
    }
  });

  return {
    el,
    /** The camera exports are made of. */
    setCamera(value) {
      const changed = camera?.id !== value?.id;
      if (changed) message(result, 'info', null);
      camera = value;
      if (changed) showRecent();
    },
  };
}
