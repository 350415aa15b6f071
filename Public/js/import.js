// Registry import (administrator): the CSV file's bytes go raw as the body of
// POST /api/registry/import?dryRun=&prune=; the answer is an ImportReport.

import { errorText } from './api.js';
import { bi, formatInteger, h, message, replace, text } from './dom.js';

export function createImportView(context) {
  const file = h('input', { type: 'file', id: 'import-file', name: 'file', accept: '.csv,text/csv', required: true });
  const dryRun = h('input', { type: 'checkbox', id: 'import-dry-run', name: 'dryRun', checked: true });
  const prune = h('input', { type: 'checkbox', id: 'import-prune', name: 'prune' });
  const submit = h('button', { type: 'submit', class: 'button-primary' }, bi('가져오기', 'Import'));
  const status = h('p', { hidden: true });
  const result = h('div', { id: 'import-result' });

  const form = h('form', { id: 'import-form', class: 'panel-block stack', novalidate: true },
    h('label', { for: 'import-file' }, bi('CSV 파일 (공공데이터 CCTV 표준데이터)', 'CSV file (public CCTV standard data)')),
    file,
    h('label', { class: 'check' }, dryRun, ' ',
      bi('시험 실행 (저장하지 않음)', 'Dry run (nothing is saved)')),
    h('label', { class: 'check' }, prune, ' ',
      bi('파일에 없는 행 삭제', 'Remove rows missing from the file (prune)')),
    h('p', { class: 'hint' },
      bi('시험 실행을 끄면 등록부가 바뀝니다. 삭제(prune)는 파일에 없는 카메라를 지웁니다.',
        'Without dry run the registry changes; prune deletes cameras that are not in the file.')),
    status,
    h('div', { class: 'button-row' }, submit));

  const el = h('section', { class: 'panel', 'aria-labelledby': 'import-title' },
    h('div', { class: 'view-head' },
      h('h1', { id: 'import-title' }, bi('등록부 가져오기', 'Registry import')),
      h('p', { class: 'export-links' }, bi('내보내기', 'Export'), ': ',
        h('a', { href: '/api/registry/export?format=csv', download: '' }, 'CSV'), ' · ',
        h('a', { href: '/api/registry/export?format=geojson', download: '' }, 'GeoJSON'))),
    form,
    result);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = file.files && file.files[0];
    if (!chosen) {
      message(status, 'error', 'CSV 파일을 고르세요 · Choose a CSV file');
      return;
    }
    submit.disabled = true;
    replace(result);
    message(status, 'info', `${chosen.name} 보내는 중… Uploading… (${formatInteger(chosen.size)} bytes)`);
    try {
      const report = await context.api.upload('/api/registry/import', chosen, 'text/csv', {
        query: { dryRun: dryRun.checked ? 'true' : 'false', prune: prune.checked ? 'true' : 'false' },
      });
      message(status, 'ok', report?.dryRun
        ? '시험 실행 완료 — 저장되지 않았습니다 · Dry run finished — nothing was saved'
        : '가져오기 완료 — 등록부가 바뀌었습니다 · Import finished — the registry was updated');
      replace(result, renderReport(report || {}));
    } catch (error) {
      message(status, 'error', errorText(error));
    } finally {
      submit.disabled = false;
    }
  });

  function renderReport(report) {
    const counts = [
      ['읽은 행', 'Rows read', report.rowsRead],
      ['유효 행', 'Valid rows', report.validRows],
      ['오류 행', 'Bad rows', report.badRowCount],
      ['지점', 'Sites', report.sites],
      ['카메라', 'Cameras', report.cameras],
      ['추가', 'Added', report.added],
      ['변경', 'Changed', report.changed],
      ['변경 없음', 'Unchanged', report.unchanged],
      ['파일에 없음', 'Missing', report.missing],
      ['삭제', 'Pruned', report.pruned],
    ];
    const byPurpose = Object.entries(report.camerasByPurpose || {}).sort((a, b) => b[1] - a[1]);
    const badRows = Array.isArray(report.badRows) ? report.badRows : [];
    const purposeBook = context.getPurposes().catch(() => null);

    const purposeBody = h('tbody');
    purposeBook.then((purposes) => {
      replace(purposeBody, byPurpose.length
        ? byPurpose.map(([code, count]) => h('tr', null,
          h('td', null, purposes ? purposes.label(code) : code),
          h('td', { class: 'number' }, formatInteger(count))))
        : h('tr', null, h('td', { colspan: '2', class: 'empty' }, '—')));
    });

    return h('section', { class: 'report', 'aria-labelledby': 'report-title' },
      h('h2', { id: 'report-title' }, bi('가져오기 보고서', 'Import report'), ' ',
        h('span', { class: report.dryRun ? 'badge badge-warn' : 'badge badge-ok' },
          report.dryRun ? '시험 실행 DRY RUN' : '적용됨 APPLIED')),
      h('p', { class: 'muted' },
        bi('형식', 'Layout'), `: ${text(report.layout)} · `,
        bi('인코딩', 'Encoding'), `: ${text(report.encoding)}`),
      h('div', { class: 'report-grid' },
        h('dl', { class: 'counts' }, counts.map(([korean, english, value]) => [
          h('dt', null, bi(korean, english)),
          h('dd', { class: english === 'Bad rows' && value > 0 ? 'count-bad' : null }, formatInteger(value)),
        ])),
        h('table', { class: 'data compact' },
          h('caption', null, bi('용도별 카메라', 'Cameras by purpose')),
          h('thead', null, h('tr', null,
            h('th', { scope: 'col' }, bi('용도', 'Purpose')),
            h('th', { scope: 'col', class: 'number' }, bi('카메라', 'Cameras')))),
          purposeBody)),
      h('h3', null, bi('오류 행', 'Bad rows'), ` (${formatInteger(report.badRowCount ?? badRows.length)})`,
        badRows.length < (report.badRowCount ?? 0)
          ? h('span', { class: 'muted' }, ` — 처음 ${badRows.length}개만 표시 · first ${badRows.length} shown`)
          : null),
      badRows.length
        ? h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'bad-rows' },
          h('thead', null, h('tr', null,
            h('th', { scope: 'col', class: 'number' }, bi('줄', 'Line')),
            h('th', { scope: 'col' }, bi('이유', 'Reason')))),
          h('tbody', null, badRows.map((bad) => h('tr', null,
            h('td', { class: 'number' }, formatInteger(bad.line)),
            h('td', null, text(bad.reason)))))))
        : h('p', { class: 'muted' }, bi('오류 행 없음', 'No bad rows')));
  }

  return { el };
}
