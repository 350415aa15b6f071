// The rule editor, `#rules?camera=ID` (administrator and operator edit; privacy officers read):
// the camera's snapshot (GET /api/cameras/:id/snapshot) with its analytics rules and privacy
// masks drawn over it, the list of rules with a form for the chosen one, and Save, which sends
// the whole document (PUT /api/cameras/:id/analytics). The server checks every rule and answers
// 400 naming the rule and field; that reason is shown by the Save button and the rule is chosen.
// A rule's shape is drawn by clicking on the picture (ruledraw.js).
//
// Test hooks: #rule-editor[data-camera="ID"]; #rule-canvas (click to place points);
// button[data-add-kind="intrusion" | … | "mask"]; #rule-draw-done; #rule-picture-refresh (asks for a
// new snapshot; #rule-picture-note says why there is none); #rule-list holding
// .rule-row[data-rule="ID"][data-kind]; #rule-save; #rule-status.

import { ApiError, errorText } from './api.js';
import { bi, h, message, replace, text } from './dom.js';
import { OBJECT_CLASSES, RULE_KINDS, ruleKindLabel } from './labels.js';
import { cameraDetail, cameraLabel, createCameraPicker } from './camerapicker.js';
import { createRuleCanvas, snapshotDataURL } from './ruledraw.js';

const WRITERS = ['administrator', 'operator'];
const MASKERS = ['administrator', 'privacyOfficer'];
/** Distinct colours for rules on the picture, in list order. */
const COLOURS = ['#ff6b6b', '#4dabf7', '#ffd43b', '#69db7c', '#da77f2', '#ff922b', '#38d9a9', '#f783ac'];
const MASK_COLOUR = '#e8ecf1';
const DAYS = [[1, '월', 'Mon'], [2, '화', 'Tue'], [3, '수', 'Wed'], [4, '목', 'Thu'], [5, '금', 'Fri'], [6, '토', 'Sat'], [7, '일', 'Sun']];

/** What a new rule of each kind starts with, beside its drawn shape. */
const KIND_DEFAULTS = {
  intrusion: {},
  loitering: { seconds: 60 },
  lineCrossing: { direction: 'either' },
  crowding: { count: 5 },
  objectLeft: { seconds: 60 },
  abandonedObject: { seconds: 60 },
  fall: { seconds: 5 },
  fight: { seconds: 1 },
};

/** What a rule without a class filter counts on a detector-led camera (see AnalysisProfile). */
const DETECTOR_LED_COUNTS = {
  intrusion: ['검출기가 찾은 사람·차량, 또는 화면 높이 10% 이상의 움직이는 물체를 셉니다 (야간 대비)',
    'Counts persons and vehicles the detector finds, or a moving object at least 10% of the picture tall (for night)'],
  lineCrossing: ['검출기가 찾은 사람·차량, 또는 화면 높이 10% 이상의 움직이는 물체를 셉니다',
    'Counts persons and vehicles the detector finds, or a moving object at least 10% of the picture tall'],
  loitering: ['검출기가 사람으로 찾은 대상만 셉니다', 'Counts only what the detector finds to be a person'],
  crowding: ['검출기가 사람으로 찾은 대상만 셉니다', 'Counts only what the detector finds to be a person'],
  fall: ['검출기가 사람으로 찾은 대상만 셉니다', 'Counts only what the detector finds to be a person'],
  fight: ['검출기가 사람으로 찾은 대상만 셉니다', 'Counts only what the detector finds to be a person'],
  objectLeft: ['사람이 아닌 물체만 셉니다', 'Counts anything but a person'],
  abandonedObject: ['사람이 아닌 물체만 셉니다. 곁을 지키는 사람은 검출기가 사람으로 찾은 대상입니다',
    'Counts anything but a person; who stays by it is what the detector finds to be a person'],
};

/** What the kinds that are easily confused mean, shown under the rule's title. */
const KIND_MEANINGS = {
  objectLeft: ['처음에 없던 물체가 정한 시간 동안 멈춰 있으면 알립니다. 곁에 사람이 있어도 알립니다.',
    'Raised when an object that was not there stays still this long, even with someone beside it.'],
  abandonedObject: ['물체를 가져온 사람이 떠난 뒤(키의 1.5배보다 멀리, 또는 화면 밖) 정한 시간이 지나면 알립니다. 가져온 사람이 보이지 않았으면 가까이 아무도 없을 때부터 셉니다.',
    'Raised once the person who brought the object has been away (farther than 1.5 times their height, or out of view) this long. If nobody was seen bringing it, counted while nobody is near.'],
};

/** The label of a rule's seconds, by kind. */
const SECONDS_LABELS = {
  objectLeft: ['멈춰 있는 시간 (초)', 'Still for (seconds)'],
  abandonedObject: ['홀로 남은 시간 (초)', 'Unattended for (seconds)'],
  fall: ['쓰러져 있는 시간 (초)', 'Down for (seconds)'],
  fight: ['지속 시간 (초)', 'Lasting (seconds)'],
};

function kindOf(rule) {
  return Object.keys(rule?.kind || {})[0] || 'intrusion';
}

function params(rule) {
  return rule.kind[kindOf(rule)] || {};
}

/** The points a rule is drawn with: its zone's corners or its line's two ends. */
function shapePoints(rule) {
  const value = params(rule);
  if (value.line) return [value.line.start, value.line.end];
  return value.zone?.points || [];
}

function minuteText(minute) {
  const value = ((Number(minute) % 1440) + 1440) % 1440;
  return `${String(Math.floor(value / 60)).padStart(2, '0')}:${String(value % 60).padStart(2, '0')}`;
}

function minuteValue(timeText) {
  const [hours, minutes] = String(timeText || '').split(':').map(Number);
  return Number.isInteger(hours) && Number.isInteger(minutes) ? hours * 60 + minutes : null;
}

export function createRulesView(context) {
  const canWrite = context.can(WRITERS);
  // Masks decide what operators and police do not see: only those who see behind them change them.
  const canMask = context.can(MASKERS);
  const canSave = canWrite || canMask;
  const picker = createCameraPicker(context, {
    id: 'rules-cameras', pickLabel: ['선택', 'Pick'],
    onPick: (camera) => { location.hash = `#rules?camera=${encodeURIComponent(camera.id)}`; },
  });
  const title = h('h1', { id: 'rules-title' }, bi('분석 규칙', 'Analytics rules'));
  const cameraName = h('p', { class: 'rules-camera' }, bi('카메라를 고르세요', 'Pick a camera'));
  const running = h('span', { class: 'rules-running' });
  const enabled = h('input', { type: 'checkbox', id: 'rules-enabled', disabled: !canWrite });
  const profile = h('select', { id: 'rules-profile', disabled: !canWrite },
    h('option', { value: 'automatic' }, '자동 (사람·차량 검출기) Automatic (detector)'),
    h('option', { value: 'motionOnly' }, '움직임만 Motion only'));
  const save = h('button', { type: 'button', id: 'rule-save', class: 'button-primary', disabled: true, hidden: !canSave }, bi('저장', 'Save'));
  const revert = h('button', { type: 'button', class: 'button-quiet', disabled: true, hidden: !canSave }, bi('되돌리기', 'Revert'));
  const refreshPicture = h('button', { type: 'button', id: 'rule-picture-refresh', class: 'button-small' }, bi('사진 새로', 'New picture'));
  const status = h('p', { id: 'rule-status', hidden: true });
  const pictureNote = h('p', { id: 'rule-picture-note', hidden: true });
  const drawHint = h('p', { class: 'rule-draw-hint hint', role: 'status' });
  const done = h('button', { type: 'button', id: 'rule-draw-done', class: 'button-primary', hidden: true }, bi('완료', 'Done'));
  const undo = h('button', { type: 'button', hidden: true }, bi('점 취소', 'Undo point'));
  const cancel = h('button', { type: 'button', class: 'button-quiet', hidden: true }, bi('그리기 취소', 'Cancel drawing'));
  const canvas = createRuleCanvas({ onChange: drawState });
  const addButtons = Object.entries(RULE_KINDS).map(([kind, [korean, english]]) =>
    h('button', { type: 'button', class: 'button-small', dataset: { addKind: kind } }, '+ ', bi(korean, english)));
  const addMask = h('button', { type: 'button', class: 'button-small', dataset: { addKind: 'mask' } }, '+ ', bi('가림 영역', 'Privacy mask'));
  const ruleList = h('ul', { id: 'rule-list', class: 'rule-list', 'aria-label': '규칙 Rules' });
  const maskList = h('ul', { id: 'mask-list', class: 'rule-list', 'aria-label': '가림 영역 Privacy masks' });
  const form = h('div', { class: 'rule-form-box' });

  const editor = h('div', { id: 'rule-editor', class: 'rule-editor', hidden: true },
    h('div', { class: 'toolbar' },
      h('label', { class: 'check' }, enabled, ' ', bi('이 카메라 분석', 'Analyse this camera')),
      h('label', { for: 'rules-profile' }, bi('분석 방식', 'Analysis')), profile,
      running,
      h('span', { class: 'spacer' }),
      revert, save),
    status,
    h('div', { class: 'rule-columns' },
      h('div', { class: 'rule-picture-column' },
        canvas.el,
        h('div', { class: 'button-row rule-draw-bar' }, drawHint, done, undo, cancel, h('span', { class: 'spacer' }), refreshPicture),
        pictureNote),
      h('div', { class: 'rule-side-column' },
        canWrite ? h('div', { class: 'rule-add' }, h('h2', null, bi('규칙 추가', 'Add a rule')), h('div', { class: 'button-row' }, addButtons)) : null,
        h('h2', null, bi('규칙', 'Rules')),
        ruleList,
        form,
        h('h2', null, bi('개인정보 가림 영역', 'Privacy masks')),
        h('p', { class: 'hint', id: 'privacy-mask-hint' }, bi(
          '분석하지 않는 부분입니다. 가림 뒤를 볼 권한이 없는 사용자(관제요원·경찰)에게는 실시간·재생·스냅샷·반출 영상에서 검게 가려집니다. 녹화 원본은 바뀌지 않습니다.',
          'Never analysed, and blacked out in live video, playback, snapshots and exports for those who may not see behind them (operators, police). The recording itself is never changed.')),
        maskList,
        canMask ? h('div', { class: 'button-row' }, addMask)
          : h('p', { class: 'hint', id: 'privacy-mask-owner' }, bi('가림 영역은 관리자와 개인정보 보호책임자만 바꿉니다', 'Only an administrator or a privacy officer changes masks')))));

  const el = h('section', { class: 'view-rules', 'aria-labelledby': 'rules-title' },
    h('aside', { class: 'playback-side' }, h('h2', null, bi('카메라', 'Cameras')), picker.el),
    h('div', { class: 'rules-main' },
      h('div', { class: 'toolbar' }, title, h('span', { class: 'spacer' })),
      cameraName,
      editor));

  let camera = null;
  let saved = null; // the settings as the server has them
  let draft = null; // { enabled, rules, privacyMasks } being edited
  let selected = null; // id of the rule whose form is open
  let dirty = false;
  let controller = null;
  let shown = false;
  let loadedOnce = false;
  let errorRule = null;

  function colour(index) {
    return COLOURS[index % COLOURS.length];
  }

  function markDirty() {
    dirty = true;
    save.disabled = !canSave;
    revert.disabled = !canSave;
    message(status, 'info', '저장하지 않은 변경이 있습니다 · Unsaved changes');
  }

  function drawShapes() {
    const shapes = draft ? [
      ...draft.privacyMasks.map((mask, index) => ({ type: 'mask', points: mask.points, colour: MASK_COLOUR, label: `${index + 1}` })),
      ...draft.rules.map((rule, index) => ({
        type: kindOf(rule) === 'lineCrossing' ? 'line' : 'polygon',
        points: shapePoints(rule),
        direction: params(rule).direction,
        colour: rule.enabled ? colour(index) : '#6e7885',
        label: rule.name,
        selected: rule.id === selected,
      })),
    ] : [];
    canvas.setShapes(shapes);
  }

  function drawState(state) {
    const drawing = Boolean(state);
    done.hidden = !drawing || state.mode !== 'polygon';
    done.disabled = !drawing || state.count < 3;
    undo.hidden = !drawing;
    undo.disabled = !drawing || state.count === 0;
    cancel.hidden = !drawing;
    for (const button of [...addButtons, addMask]) button.disabled = drawing;
    if (!drawing) replace(drawHint, canWrite ? bi('규칙을 고르면 사진에 굵게 보입니다', 'The chosen rule is drawn bold') : '');
    else if (state.mode === 'line') replace(drawHint, bi(`선의 두 끝을 누르세요 (${state.count}/2)`, `Click the line's two ends (${state.count}/2)`));
    else replace(drawHint, bi(`꼭짓점을 누르세요 (${state.count}개) — 두 번 누르거나 완료`, `Click the corners (${state.count}) — double-click or Done to close`));
  }

  /** Starts drawing a shape; `onShape(points)` gets it unless the user cancels. */
  function drawShape(mode, onShape) {
    canvas.draw(mode, (points) => {
      if (points) onShape(points.map((point) => ({ x: point.x, y: point.y })));
    });
  }

  function addRule(kind) {
    drawShape(kind === 'lineCrossing' ? 'line' : 'polygon', (points) => {
      const [korean] = RULE_KINDS[kind];
      const sameKind = draft.rules.filter((rule) => kindOf(rule) === kind).length;
      const shape = kind === 'lineCrossing' ? { line: { start: points[0], end: points[1] } } : { zone: { points } };
      const rule = {
        id: crypto.randomUUID().toUpperCase(), // as Swift's UUID writes it, so the saved rule stays chosen
        name: sameKind ? `${korean} ${sameKind + 1}` : korean,
        enabled: true,
        classes: kind === 'fall' ? ['person'] : [],
        minimumHeight: 0,
        coolDownSeconds: 30,
        schedule: null,
        kind: { [kind]: { ...shape, ...KIND_DEFAULTS[kind] } },
      };
      draft.rules.push(rule);
      selected = rule.id;
      markDirty();
      renderLists();
      form.querySelector('#rule-name')?.select();
    });
  }

  function redraw(rule) {
    const kind = kindOf(rule);
    drawShape(kind === 'lineCrossing' ? 'line' : 'polygon', (points) => {
      const value = params(rule);
      if (kind === 'lineCrossing') value.line = { start: points[0], end: points[1] };
      else value.zone = { points };
      markDirty();
      drawShapes();
    });
  }

  function ruleRow(rule, index) {
    const kind = kindOf(rule);
    const toggle = h('input', { type: 'checkbox', checked: rule.enabled, disabled: !canWrite, 'aria-label': `${rule.name}: 사용 Enabled` });
    const choose = h('button', { type: 'button', class: 'link-button rule-choose', 'aria-expanded': String(rule.id === selected) },
      h('span', { class: 'swatch', style: { backgroundColor: rule.enabled ? colour(index) : '#6e7885' }, 'aria-hidden': 'true' }), ' ',
      h('strong', null, text(rule.name)), ' ', ruleKindLabel(kind));
    const remove = h('button', { type: 'button', class: 'button-small button-danger', title: '삭제 Delete', hidden: !canWrite }, bi('삭제', 'Delete'));
    const li = h('li', {
      class: `rule-row${rule.id === selected ? ' selected' : ''}${rule.id === errorRule ? ' rule-row-error' : ''}${rule.enabled ? '' : ' row-disabled'}`,
      dataset: { rule: rule.id, kind },
    }, toggle, choose, remove);
    toggle.addEventListener('change', () => {
      rule.enabled = toggle.checked;
      markDirty();
      renderLists();
    });
    choose.addEventListener('click', () => {
      selected = selected === rule.id ? null : rule.id;
      renderLists();
    });
    remove.addEventListener('click', () => {
      draft.rules = draft.rules.filter((other) => other.id !== rule.id);
      if (selected === rule.id) selected = null;
      markDirty();
      renderLists();
    });
    return li;
  }

  function maskRow(mask, index) {
    const again = h('button', { type: 'button', class: 'button-small', hidden: !canMask }, bi('다시 그리기', 'Redraw'));
    const remove = h('button', { type: 'button', class: 'button-small button-danger', hidden: !canMask }, bi('삭제', 'Delete'));
    again.addEventListener('click', () => drawShape('polygon', (points) => {
      mask.points = points;
      markDirty();
      drawShapes();
    }));
    remove.addEventListener('click', () => {
      draft.privacyMasks.splice(index, 1);
      markDirty();
      renderLists();
    });
    return h('li', { class: 'mask-row', dataset: { mask: String(index) } },
      h('span', null, bi('가림 영역', 'Mask'), ` ${index + 1} · ${mask.points.length} `, bi('꼭짓점', 'corners')), h('span', { class: 'spacer' }), again, remove);
  }

  /** A labelled number input bound to `read`/`write` on the rule. */
  function numberField(id, label, value, attrs, write) {
    const input = h('input', { type: 'number', id, value: String(value), disabled: !canWrite, ...attrs });
    input.addEventListener('input', () => {
      const number = Number(input.value);
      if (input.value.trim() === '' || !Number.isFinite(number)) return;
      write(number);
      markDirty();
    });
    return [h('label', { for: id }, label), input];
  }

  function scheduleEditor(rule) {
    const box = h('div', { class: 'rule-schedule' });
    const always = h('input', { type: 'checkbox', id: 'rule-always', checked: !rule.schedule, disabled: !canWrite });
    function render() {
      const windows = rule.schedule?.windows || [];
      replace(box,
        h('label', { class: 'check' }, always, ' ', bi('항상 감시', 'Always armed')),
        windows.map((window, index) => {
          const from = h('input', { type: 'time', value: minuteText(window.startMinute), disabled: !canWrite, 'aria-label': `${index + 1}: 시작 From` });
          const to = h('input', { type: 'time', value: minuteText(window.endMinute), disabled: !canWrite, 'aria-label': `${index + 1}: 끝 To` });
          from.addEventListener('change', () => {
            const minute = minuteValue(from.value);
            if (minute !== null) { window.startMinute = minute; markDirty(); }
          });
          to.addEventListener('change', () => {
            const minute = minuteValue(to.value);
            if (minute !== null) { window.endMinute = minute; markDirty(); }
          });
          const remove = h('button', { type: 'button', class: 'button-small button-quiet', title: '시간대 삭제 Remove window', hidden: !canWrite || windows.length < 2 }, '×');
          remove.addEventListener('click', () => {
            windows.splice(index, 1);
            markDirty();
            render();
          });
          return h('fieldset', { class: 'rule-window' },
            h('legend', null, bi('시간대', 'Window'), ` ${index + 1}`),
            h('div', { class: 'rule-days' }, DAYS.map(([day, korean, english]) => {
              const check = h('input', { type: 'checkbox', checked: window.days.includes(day), disabled: !canWrite });
              check.addEventListener('change', () => {
                window.days = check.checked ? [...new Set([...window.days, day])].sort() : window.days.filter((other) => other !== day);
                markDirty();
              });
              return h('label', { class: 'check', title: english }, check, ' ', h('span', { lang: 'ko' }, korean));
            })),
            h('div', { class: 'rule-times' }, from, ' – ', to, remove),
            h('p', { class: 'hint' }, bi('끝이 시작보다 이르면 다음 날 끝남', 'An end before the start runs past midnight')));
        }),
        rule.schedule && canWrite ? h('button', { type: 'button', class: 'button-small', on: { click: () => {
          rule.schedule.windows.push({ days: [1, 2, 3, 4, 5], startMinute: 18 * 60, endMinute: 7 * 60 });
          markDirty();
          render();
        } } }, '+ ', bi('시간대', 'Window')) : null);
    }
    always.addEventListener('change', () => {
      rule.schedule = always.checked ? null : { windows: [{ days: [1, 2, 3, 4, 5, 6, 7], startMinute: 18 * 60, endMinute: 7 * 60 }] };
      markDirty();
      render();
    });
    render();
    return box;
  }

  function ruleForm(rule) {
    const kind = kindOf(rule);
    const value = params(rule);
    const name = h('input', { type: 'text', id: 'rule-name', value: rule.name, maxlength: '120', required: true, disabled: !canWrite });
    name.addEventListener('input', () => {
      rule.name = name.value;
      const label = ruleList.querySelector(`.rule-row[data-rule="${rule.id}"] .rule-choose strong`);
      if (label) label.textContent = text(rule.name);
      markDirty();
      drawShapes();
    });
    const classes = h('fieldset', { class: 'rule-classes' },
      h('legend', null, bi('대상 (없으면 전부)', 'Objects (none = any)')),
      Object.entries(OBJECT_CLASSES).map(([code, [korean, english]]) => {
        const check = h('input', { type: 'checkbox', name: 'classes', value: code, checked: (rule.classes || []).includes(code), disabled: !canWrite });
        check.addEventListener('change', () => {
          const set = new Set(rule.classes || []);
          if (check.checked) set.add(code);
          else set.delete(code);
          rule.classes = [...set];
          markDirty();
        });
        return h('label', { class: 'check' }, check, ' ', bi(korean, english));
      }));
    // Detector-led, a rule without a class filter does not count every moving thing: say what it counts.
    const counts = saved?.detectorLed && !(rule.classes || []).length ? DETECTOR_LED_COUNTS[kind] : null;
    const countsNote = counts ? h('p', { class: 'hint', id: 'rule-counts' }, bi(counts[0], counts[1])) : null;
    const fields = [];
    const meaning = KIND_MEANINGS[kind] ? h('p', { class: 'hint', id: 'rule-meaning' }, bi(KIND_MEANINGS[kind][0], KIND_MEANINGS[kind][1])) : null;
    if ('seconds' in value) {
      const [korean, english] = SECONDS_LABELS[kind] || ['머무는 시간 (초)', 'Seconds'];
      fields.push(numberField('rule-seconds', bi(korean, english), value.seconds, { min: '0.5', step: '0.5' }, (number) => { value.seconds = number; }));
    }
    if ('count' in value) {
      fields.push(numberField('rule-count', bi('인원/개수 초과', 'More than (count)'), value.count, { min: '1', step: '1' }, (number) => { value.count = Math.round(number); }));
    }
    if (kind === 'lineCrossing') {
      const direction = h('select', { id: 'rule-direction', disabled: !canWrite },
        [['either', '양방향', 'Either way'], ['leftToRight', '왼쪽→오른쪽', 'Left to right'], ['rightToLeft', '오른쪽→왼쪽', 'Right to left']]
          .map(([code, korean, english]) => h('option', { value: code, selected: value.direction === code }, `${korean} ${english}`)));
      direction.addEventListener('change', () => {
        value.direction = direction.value;
        markDirty();
        drawShapes();
      });
      fields.push(h('label', { for: 'rule-direction' }, bi('방향 (시작점에서 끝점을 볼 때)', 'Direction (seen from the first end)')), direction);
    }
    fields.push(numberField('rule-minimum-height', bi('최소 높이 (화면 높이의 %)', 'Minimum height (% of picture)'),
      Math.round((rule.minimumHeight || 0) * 1000) / 10, { min: '0', max: '100', step: '0.5' }, (number) => { rule.minimumHeight = Math.min(1, Math.max(0, number / 100)); }));
    fields.push(numberField('rule-cool-down', bi('재알람 대기 (초)', 'Cool-down (seconds)'), rule.coolDownSeconds ?? 30, { min: '0', step: '1' },
      (number) => { rule.coolDownSeconds = number; }));
    const again = h('button', { type: 'button', class: 'button-small', hidden: !canWrite, on: { click: () => redraw(rule) } },
      bi(kind === 'lineCrossing' ? '선 다시 그리기' : '영역 다시 그리기', kind === 'lineCrossing' ? 'Redraw line' : 'Redraw zone'));
    return h('form', { id: 'rule-form', class: 'stack rule-form', novalidate: true, on: { submit: (event) => event.preventDefault() } },
      h('h3', null, ruleKindLabel(kind)),
      meaning,
      h('label', { for: 'rule-name' }, bi('이름', 'Name')), name,
      classes,
      countsNote,
      fields,
      h('h3', null, bi('감시 시간', 'Schedule')),
      scheduleEditor(rule),
      h('div', { class: 'button-row' }, again));
  }

  function renderLists() {
    if (!draft) return;
    replace(ruleList, draft.rules.length
      ? draft.rules.map(ruleRow)
      : h('li', { class: 'muted rule-empty' }, bi('규칙이 없습니다', 'No rules yet'), canWrite ? [' — ', bi('위에서 종류를 골라 사진에 그리세요', 'pick a kind above and draw it on the picture')] : null));
    const rule = draft.rules.find((candidate) => candidate.id === selected);
    replace(form, rule ? ruleForm(rule) : null);
    replace(maskList, draft.privacyMasks.length ? draft.privacyMasks.map(maskRow) : h('li', { class: 'muted rule-empty' }, bi('없음', 'None')));
    drawShapes();
  }

  function accept(settings) {
    saved = settings;
    draft = {
      enabled: settings.enabled !== false,
      rules: structuredClone(Array.isArray(settings.rules) ? settings.rules : []),
      privacyMasks: structuredClone(Array.isArray(settings.privacyMasks) ? settings.privacyMasks : []),
      profile: settings.profile === 'motionOnly' ? 'motionOnly' : 'automatic',
    };
    profile.value = draft.profile;
    if (!draft.rules.some((rule) => rule.id === selected)) selected = null;
    enabled.checked = draft.enabled;
    replace(running, settings.running
      ? h('span', { class: 'badge badge-ok' }, bi('분석 중', 'analysing'))
      : h('span', { class: 'badge badge-muted', title: '이 서버가 이 카메라를 녹화·분석하지 않습니다 · This server does not record and analyse this camera now' }, bi('분석 안 함', 'not analysed')));
    dirty = false;
    errorRule = null;
    save.disabled = true;
    revert.disabled = true;
    renderLists();
  }

  async function loadPicture() {
    if (!camera) return;
    const id = camera.id;
    message(pictureNote, 'info', '');
    try {
      const url = await snapshotDataURL(id);
      if (camera?.id !== id) return;
      canvas.setPicture(url);
    } catch (error) {
      if (camera?.id !== id) return;
      canvas.setPicture(null);
      message(pictureNote, 'warn', `사진 없음, 빈 틀에 그립니다 · No picture, drawing on an empty frame: ${errorText(error)}`);
    }
  }

  async function open(id) {
    if (dirty && camera?.id !== id && !window.confirm('저장하지 않은 변경을 버릴까요? · Discard unsaved changes?')) {
      history.replaceState(null, '', `#rules?camera=${encodeURIComponent(camera.id)}`);
      return;
    }
    controller?.abort();
    controller = new AbortController();
    const { signal } = controller;
    canvas.cancel();
    selected = null;
    draft = null;
    dirty = false;
    message(status, 'info', '');
    try {
      const [found, settings] = await Promise.all([
        context.api.get(`/api/cameras/${encodeURIComponent(id)}`, { signal }),
        context.api.get(`/api/cameras/${encodeURIComponent(id)}/analytics`, { signal }),
      ]);
      if (signal.aborted) return;
      camera = { ...found, id: String(found.id) };
      picker.setSelected(camera.id);
      editor.dataset.camera = camera.id;
      editor.hidden = false;
      replace(cameraName, h('strong', null, text(cameraLabel(camera))), ' ', h('span', { class: 'muted' }, cameraDetail(camera)));
      canvas.setPicture(null);
      accept(settings);
      drawState(null);
      loadPicture();
    } catch (error) {
      if (error?.name === 'AbortError') return;
      editor.hidden = true;
      camera = null;
      replace(cameraName, h('span', { class: 'message message-error', role: 'alert' }, error instanceof ApiError && error.status === 404
        ? `카메라를 찾을 수 없습니다 · No such camera (${errorText(error)})` : errorText(error)));
    }
  }

  async function saveSettings() {
    if (!camera || !draft) return;
    canvas.cancel();
    save.disabled = true;
    message(status, 'info', '저장 중… · Saving…');
    try {
      // Each role sends the part it may change; the server keeps what is left out.
      const answer = await context.api.put(`/api/cameras/${encodeURIComponent(camera.id)}/analytics`, {
        ...(canWrite ? { enabled: enabled.checked, rules: draft.rules, profile: draft.profile } : {}),
        ...(canMask ? { privacyMasks: draft.privacyMasks } : {}),
      });
      accept(answer);
      message(status, 'ok', `저장했습니다 (규칙 ${answer.rules.length}개) · Saved, ${answer.rules.length} rule(s)`);
    } catch (error) {
      save.disabled = false;
      // "rules[1] 'gate': kind.zone: …" — open the rule the server names.
      const index = /^rules\[(\d+)\]/.exec(error?.reason || '')?.[1];
      const rule = index !== undefined ? draft.rules[Number(index)] : null;
      if (rule) {
        selected = rule.id;
        errorRule = rule.id;
        renderLists();
      }
      message(status, 'error', errorText(error));
    }
  }

  for (const button of addButtons) button.addEventListener('click', () => addRule(button.dataset.addKind));
  addMask.addEventListener('click', () => drawShape('polygon', (points) => {
    draft.privacyMasks.push({ points });
    markDirty();
    renderLists();
  }));
  done.addEventListener('click', () => canvas.finish());
  undo.addEventListener('click', () => canvas.undo());
  cancel.addEventListener('click', () => canvas.cancel());
  refreshPicture.addEventListener('click', loadPicture);
  enabled.addEventListener('change', () => {
    if (draft) draft.enabled = enabled.checked;
    markDirty();
  });
  profile.addEventListener('change', () => {
    if (draft) draft.profile = profile.value;
    markDirty();
  });
  save.addEventListener('click', saveSettings);
  revert.addEventListener('click', () => {
    if (saved) accept(saved);
    message(status, 'info', '');
  });

  /** `#rules?camera=ID` opens that camera. */
  function followHash() {
    const query = location.hash.split('?')[1];
    const id = query ? new URLSearchParams(query).get('camera') : null;
    if (id && id !== camera?.id) open(id);
  }
  function onHashChange() {
    if (shown && location.hash.startsWith('#rules')) followHash();
  }
  window.addEventListener('hashchange', onHashChange);
  function onBeforeUnload(event) {
    if (dirty) event.preventDefault();
  }
  window.addEventListener('beforeunload', onBeforeUnload);

  drawState(null);

  return {
    el,
    show() {
      shown = true;
      if (!loadedOnce) {
        loadedOnce = true;
        picker.load();
      }
      followHash();
    },
    hide() {
      shown = false;
      canvas.cancel();
    },
    destroy() {
      shown = false;
      controller?.abort();
      picker.destroy();
      window.removeEventListener('hashchange', onHashChange);
      window.removeEventListener('beforeunload', onBeforeUnload);
    },
  };
}
