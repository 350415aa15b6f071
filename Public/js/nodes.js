// Nodes (administrator): the cluster's nodes from GET /api/cluster/nodes — alive or silent,
// cameras held against capacity, draining — with drain / take-cameras-again
// (PUT /api/cluster/nodes/:name/draining), and the footage nodes wrote after a camera moved on
// (unadopted: kept on that node, not in the index). Refreshed every 5 s while shown.
//
// A peer this server cannot reach, or that refuses it (most often a different cluster secret),
// shows as such, with the reason in the badge's title: its cameras' video cannot pass.
//
// Hooks for tests: #nodes-table tr[data-node][data-alive][data-draining][data-link]; .node-drain buttons;
// #nodes-single (a single node); #unadopted-table rows.

import { errorText } from './api.js';
import { bi, confirmButton, formatInteger, formatTime, h, message, refreshWhileShown, replace, text } from './dom.js';

const REFRESH_MS = 5_000;

/** The health badge of a node. */
function healthBadge(node) {
  if (node.stoppedAt) return h('span', { class: 'badge badge-muted' }, bi('정지됨', 'Stopped'));
  if (!node.alive) return h('span', { class: 'badge badge-error' }, bi(`응답 없음 ${Math.round(node.silentSeconds)}초`, `Silent ${Math.round(node.silentSeconds)} s`));
  if (node.draining) return h('span', { class: 'badge badge-warn' }, bi('비우는 중', 'Draining'));
  if (node.starting) return h('span', { class: 'badge badge-muted', title: 'reconciling its disk before it takes cameras' }, bi('시작 중', 'Starting'));
  if (node.state && node.state !== 'active') return h('span', { class: 'badge badge-warn', title: node.stateDetail || '' }, text(node.state));
  // This server's link to the peer (probed each lease): video of its cameras passes through it.
  const link = LINKS[node.link];
  if (link) return h('span', { class: 'badge badge-error', title: node.linkDetail || '' }, bi(...link));
  return h('span', { class: 'badge badge-ok', title: node.stateDetail || '' }, bi('정상', 'Healthy'));
}

/** A peer link that is not ok: what the badge says. */
const LINKS = {
  unreachable: ['주소 응답 없음', 'Address unreachable'],
  refused: ['연결 거부 (클러스터 비밀값 확인)', 'Refused (check the cluster secret)'],
  noSecret: ['클러스터 비밀값 없음', 'No cluster secret'],
};

export function createNodesView(context) {
  const summary = h('p', { class: 'summary', role: 'status', id: 'nodes-summary' });
  const problem = h('p', { hidden: true });
  const single = h('p', { id: 'nodes-single', class: 'hint', hidden: true },
    bi('단일 노드(SQLite): 이 서버가 모든 카메라를 녹화합니다.', 'A single node (SQLite): this server records every camera.'));
  const body = h('tbody');
  const footageBody = h('tbody');
  const footageNote = h('p', { class: 'hint' },
    bi('카메라가 다른 노드로 넘어간 뒤 기록된 파일: 해당 노드에 보관되며 색인되지 않습니다.',
      'Files written after their camera moved to another node: kept on that node, not indexed.'));

  const el = h('section', { class: 'panel', 'aria-labelledby': 'nodes-title' },
    h('div', { class: 'view-head' }, h('h1', { id: 'nodes-title' }, bi('노드', 'Nodes'))),
    summary, problem, single,
    h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'nodes-table' },
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, bi('노드', 'Node')),
        h('th', { scope: 'col' }, bi('상태', 'Health')),
        h('th', { scope: 'col', class: 'number' }, bi('카메라 / 용량', 'Cameras / capacity')),
        h('th', { scope: 'col' }, bi('주소', 'Address')),
        h('th', { scope: 'col' }, bi('버전', 'Version')),
        h('th', { scope: 'col' }, bi('시작', 'Started')),
        h('th', { scope: 'col' }, bi('작업', 'Action')))),
      body)),
    h('h2', null, bi('인수되지 않은 영상', 'Unadopted footage')),
    footageNote,
    h('div', { class: 'table-wrap' }, h('table', { class: 'data compact', id: 'unadopted-table' },
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, bi('노드', 'Node')),
        h('th', { scope: 'col' }, bi('카메라', 'Camera')),
        h('th', { scope: 'col' }, bi('파일', 'File')),
        h('th', { scope: 'col' }, bi('구간', 'From – to')),
        h('th', { scope: 'col', class: 'number' }, bi('크기', 'Bytes')),
        h('th', { scope: 'col' }, bi('사유', 'Why')))),
      footageBody)));

  async function setDraining(node, draining) {
    try {
      render(await context.api.put(`/api/cluster/nodes/${encodeURIComponent(node.name)}/draining`, { draining }));
      message(problem, 'ok', draining
        ? `${node.name}: 카메라를 다른 노드로 넘깁니다 · handing its cameras to the other nodes`
        : `${node.name}: 다시 카메라를 맡습니다 · takes cameras again`);
    } catch (error) {
      message(problem, 'error', errorText(error));
    }
  }

  function actionFor(node) {
    if (node.stoppedAt || !node.alive) return h('span', { class: 'muted' }, '—');
    if (node.draining) {
      const button = h('button', { type: 'button', class: 'button-small node-drain', 'data-action': 'undrain' }, bi('다시 맡기', 'Take cameras again'));
      button.addEventListener('click', () => setDraining(node, false));
      return button;
    }
    const button = confirmButton(bi('비우기', 'Drain'), bi('정말 비우기?', 'Really drain?'), () => setDraining(node, true));
    button.classList.add('node-drain');
    button.dataset.action = 'drain';
    return button;
  }

  function render(cluster) {
    single.hidden = cluster.clustered;
    const nodes = cluster.nodes ?? [];
    const alive = nodes.filter((node) => node.alive);
    const held = alive.reduce((sum, node) => sum + node.cameras, 0);
    replace(summary, cluster.clustered
      ? bi(`노드 ${alive.length}/${nodes.length} 정상 · 카메라 ${formatInteger(held)}대 녹화 중 · 임대 ${cluster.leaseSeconds}초`,
        `${alive.length} of ${nodes.length} nodes alive · ${formatInteger(held)} cameras held · ${cluster.leaseSeconds} s leases`)
      : '');
    replace(body, nodes.map((node) => h('tr', { 'data-node': node.name, 'data-alive': String(node.alive), 'data-draining': String(node.draining), 'data-link': node.link || '' },
      h('th', { scope: 'row' }, text(node.name), node.answering ? h('span', { class: 'muted' }, ' ', bi('(이 서버)', '(this server)')) : ''),
      h('td', null, healthBadge(node)),
      h('td', { class: 'number' },
        h('span', { class: 'node-count' }, `${formatInteger(node.cameras)} / ${formatInteger(node.capacity)}`),
        node.analysisFPS == null ? '' : h('div', { class: 'muted node-analysis' },
          bi(`분석 초당 ${formatInteger(node.analysisFPS)}프레임`, `analysis ${formatInteger(node.analysisFPS)} frames/s`))),
      h('td', null, h('code', null, text(node.address))),
      h('td', null, text(node.version)),
      h('td', null, h('time', { datetime: node.startedAt }, formatTime(node.startedAt))),
      h('td', null, actionFor(node)))));
    const footage = cluster.unadopted ?? [];
    replace(footageBody, footage.length === 0
      ? h('tr', null, h('td', { colspan: '6', class: 'muted' }, bi('없음', 'None')))
      : footage.map((item) => h('tr', null,
        h('td', null, text(item.node)),
        h('td', null, h('code', null, text(item.cameraId))),
        h('td', null, h('code', null, text(item.path))),
        h('td', null, `${formatTime(item.from)} – ${formatTime(item.to)}`),
        h('td', { class: 'number' }, formatInteger(item.bytes)),
        h('td', null, text(item.reason)))));
  }

  async function load() {
    try {
      render(await context.api.get('/api/cluster/nodes'));
      if (problem.classList.contains('message-error')) message(problem, 'error', '');
    } catch (error) {
      message(problem, 'error', errorText(error));
    }
  }

  return { el, ...refreshWhileShown(load, REFRESH_MS) };
}
