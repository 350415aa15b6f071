// Bell drills and presses, a folding panel of the Alarms & incidents view: the drill windows not
// yet over (a press inside one is a drill, kept out of statistics — the center trains children
// with real bells), a form to open one (handlers only), and the presses of the last 24 hours.
//
// Test hooks: #bell-duty (details); #bell-drill-form with #bell-drill-bell, #bell-drill-minutes,
// #bell-drill-note; #bell-drills li[data-drill]; #bell-presses li[data-bell][data-drill].

import { errorText } from './api.js';
import { bi, formatTime, h, message, replace, text } from './dom.js';

export function createBellDutyPanel(context, { handles }) {
  const notice = h('p', { class: 'message', hidden: true });
  const drills = h('ul', { id: 'bell-drills', class: 'bell-drills' });
  const presses = h('ol', { id: 'bell-presses', class: 'bell-presses' });
  const bell = h('input', { type: 'text', id: 'bell-drill-bell', maxlength: '64', placeholder: '모든 비상벨 · every bell', 'aria-label': '비상벨 관리번호 Bell number' });
  const minutes = h('input', { type: 'number', id: 'bell-drill-minutes', min: '1', max: '1440', value: '30', 'aria-label': '분 Minutes' });
  const note = h('input', { type: 'text', id: 'bell-drill-note', maxlength: '500', placeholder: '예: 3학년 안전교육', 'aria-label': '메모 Note' });

  async function openDrill(event) {
    event.preventDefault();
    const body = { minutes: Number(minutes.value) || 30, ...(bell.value.trim() ? { bell: bell.value.trim() } : {}), ...(note.value.trim() ? { note: note.value.trim() } : {}) };
    try {
      await context.api.post('/api/bells/drills', body);
      message(notice, 'info', `훈련 시간 ${body.minutes}분 · Drill window of ${body.minutes} min: presses in it are drills`);
      note.value = '';
      await load();
    } catch (error) {
      message(notice, 'error', errorText(error));
    }
  }

  async function load() {
    let windows;
    let log;
    try {
      [windows, log] = await Promise.all([context.api.get('/api/bells/drills'), context.api.get('/api/bells/presses')]);
    } catch (error) {
      message(notice, 'error', errorText(error));
      return;
    }
    replace(drills, windows.length
      ? windows.map((drill) => h('li', { dataset: { drill: drill.id } },
        h('span', { class: 'badge drill' }, '훈련 DRILL'), ' ',
        h('strong', null, drill.bell ? text(drill.bell) : bi('모든 비상벨', 'Every bell')), ' ',
        formatTime(drill.from), ' – ', formatTime(drill.until),
        drill.note ? [' · ', text(drill.note)] : null, ` · ${text(drill.createdBy)}`))
      : h('li', { class: 'hint' }, bi('예정된 훈련 없음', 'No drill window open')));
    replace(presses, log.length
      ? [...log].sort((a, b) => b.receivedAt.localeCompare(a.receivedAt)).map((press) => h('li', { dataset: { bell: press.bell ?? press.bellId, drill: String(press.drill) } },
        h('time', { datetime: press.receivedAt }, formatTime(press.receivedAt)), ' ',
        press.drill ? h('span', { class: 'badge drill' }, '훈련 DRILL') : h('span', { class: 'badge priority priority-critical' }, bi('실제', 'Real')), ' ',
        h('strong', null, text(press.bell ?? press.bellId)), press.place ? [' · ', text(press.place)] : null))
      : h('li', { class: 'hint' }, bi('최근 24시간 누름 없음', 'No presses in the last 24 hours')));
  }

  const panel = h('details', { id: 'bell-duty', class: 'bell-duty', on: { toggle: () => { if (panel.open) load(); } } },
    h('summary', null, bi('비상벨 훈련·누름 기록', 'Bell drills & presses')),
    notice,
    h('h4', null, bi('훈련 시간', 'Drill windows')),
    drills,
    handles ? h('form', { id: 'bell-drill-form', class: 'toolbar', on: { submit: openDrill } },
      h('label', null, bi('비상벨', 'Bell'), ' ', bell), ' ',
      h('label', null, bi('기간', 'For'), ' ', minutes, ' ', bi('분', 'min')), ' ',
      h('label', null, bi('메모', 'Note'), ' ', note), ' ',
      h('button', { type: 'submit' }, bi('훈련 시작', 'Start drill window'))) : null,
    h('h4', null, bi('최근 누름', 'Recent presses'), ' ',
      h('button', { type: 'button', class: 'button-small button-quiet', on: { click: load } }, bi('새로 고침', 'Refresh'))),
    presses);
  return { el: panel, refresh: () => (panel.open ? load() : undefined) };
}
