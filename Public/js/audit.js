// The audit log (administrator, privacyOfficer): GET /api/audit newest first, paged back with
// beforeSeq, and GET /api/audit/verify to check the hash chain and the signed checkpoints.

import { errorText } from './api.js';
import { bi, formatInteger, formatTime, h, isoFrom, message, replace, text } from './dom.js';

const PAGE_SIZE = 100;

export function createAuditView(context) {
  const actor = h('input', { id: 'audit-actor', name: 'actor', type: 'text', autocomplete: 'off' });
  const action = h('input', { id: 'audit-action', name: 'action', type: 'text', autocomplete: 'off', placeholder: 'login, user.create…' });
  const since = h('input', { id: 'audit-since', name: 'since', type: 'datetime-local', step: '1' });
  const until = h('input', { id: 'audit-until', name: 'until', type: 'datetime-local', step: '1' });
  const verifyButton = h('button', { type: 'button', id: 'audit-verify' }, bi('체인 검증', 'Verify chain'));
  const verifyResult = h('p', { id: 'audit-verify-result', hidden: true });
  const problem = h('p', { hidden: true });
  const body = h('tbody');
  const older = h('button', { type: 'button', id: 'audit-older', disabled: true }, bi('이전 기록 더 보기', 'Older'));
  const shown = h('p', { class: 'summary', role: 'status' });

  const filters = h('form', { id: 'audit-filters', class: 'toolbar' },
    h('label', { for: 'audit-actor' }, bi('사용자', 'Actor')), actor,
    h('label', { for: 'audit-action' }, bi('동작', 'Action')), action,
    h('label', { for: 'audit-since' }, bi('부터', 'Since')), since,
    h('label', { for: 'audit-until' }, bi('까지', 'Until')), until,
    h('button', { type: 'submit', class: 'button-primary' }, bi('조회', 'Search')),
    h('span', { class: 'spacer' }),
    verifyButton);

  const el = h('section', { class: 'panel', 'aria-labelledby': 'audit-title' },
    h('div', { class: 'view-head' }, h('h1', { id: 'audit-title' }, bi('감사 기록', 'Audit log'))),
    filters,
    verifyResult,
    problem,
    h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'audit-table' },
      h('thead', null, h('tr', null,
        h('th', { scope: 'col', class: 'number' }, bi('순번', 'Seq')),
        h('th', { scope: 'col' }, bi('시각', 'Time')),
        h('th', { scope: 'col' }, bi('사용자', 'Actor')),
        h('th', { scope: 'col' }, bi('동작', 'Action')),
        h('th', { scope: 'col' }, bi('대상', 'Target')),
        h('th', { scope: 'col' }, bi('내용', 'Details')))),
      body)),
    h('div', { class: 'button-row' }, shown, older));

  let nextBeforeSeq = null;
  let count = 0;
  let loading = false;
  let loaded = false;

  function query(beforeSeq) {
    return {
      actor: actor.value.trim(),
      action: action.value.trim(),
      since: isoFrom(since),
      until: isoFrom(until),
      beforeSeq: beforeSeq ?? '',
      limit: PAGE_SIZE,
    };
  }

  async function load(append) {
    if (loading) return;
    loading = true;
    older.disabled = true;
    try {
      const answer = await context.api.get('/api/audit', { query: query(append ? nextBeforeSeq : null) });
      const entries = Array.isArray(answer?.entries) ? answer.entries : [];
      nextBeforeSeq = answer?.nextBeforeSeq ?? null;
      message(problem, 'error', '');
      if (!append) {
        replace(body);
        count = 0;
      }
      count += entries.length;
      body.append(...entries.map(row));
      if (count === 0) body.append(h('tr', null, h('td', { colspan: '6', class: 'empty' }, bi('기록 없음', 'No entries'))));
      replace(shown, bi('표시', 'Shown'), ` ${formatInteger(count)}`);
    } catch (error) {
      message(problem, 'error', errorText(error));
    } finally {
      loading = false;
      older.disabled = nextBeforeSeq === null || nextBeforeSeq === undefined;
    }
  }

  function row(entry) {
    let details = '';
    try {
      details = entry.details === undefined || entry.details === null ? '' : JSON.stringify(entry.details);
    } catch {
      details = String(entry.details);
    }
    return h('tr', { dataset: { seq: String(entry.seq) } },
      h('td', { class: 'number' }, text(entry.seq)),
      h('td', { class: 'nowrap', title: text(entry.time) }, formatTime(entry.time)),
      h('td', null, text(entry.actor)),
      h('td', null, h('code', null, text(entry.action))),
      h('td', null, text(entry.target)),
      h('td', { class: 'details' }, details && details !== '{}' ? h('code', null, details) : '—'));
  }

  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    nextBeforeSeq = null;
    load(false);
  });
  older.addEventListener('click', () => load(true));
  verifyButton.addEventListener('click', async () => {
    verifyButton.disabled = true;
    message(verifyResult, 'info', '검증 중… Verifying…');
    try {
      const answer = await context.api.get('/api/audit/verify');
      if (answer?.ok) {
        const checkpoints = answer.checkpoints;
        const signed = checkpoints?.latestSeq
          ? ` · 서명 체크포인트 ${formatInteger(checkpoints.checked)}건 일치 signed checkpoints agree (latest seq ${checkpoints.latestSeq})`
          : ' · 서명 체크포인트 없음 no signed checkpoint yet';
        message(verifyResult, 'ok', `✔ 체인 정상 · Chain intact — ${formatInteger(answer.checked)} 건 검사 entries checked${signed}`);
      } else {
        // The chain's first bad entry, then what the signed checkpoints say (truncation, rewrite, signatures).
        const bad = answer?.problem;
        const lines = bad
          ? [`✖ 체인 손상 · Chain broken at seq ${bad.seq}: ${text(bad.reason)} (${formatInteger(answer.checked)} 건 검사 checked)`]
          : [];
        for (const finding of answer?.findings ?? []) lines.push(`✖ ${text(finding.message)}`);
        message(verifyResult, 'error', lines.length
          ? h('span', null, ...lines.flatMap((line, index) => (index ? [h('br'), line] : [line])))
          : '✖ 체인 손상 · Chain broken');
      }
    } catch (error) {
      message(verifyResult, 'error', errorText(error));
    } finally {
      verifyButton.disabled = false;
    }
  });

  return {
    el,
    show() {
      if (!loaded) {
        loaded = true;
        load(false);
      }
    },
  };
}
