// Cast-net on the map: the operator picks a point ("Cast-net here" then a click, or a
// right-click) and how many minutes ago it happened; POST /api/castnet answers the plan, drawn
// here: the rings, the roads a suspect could have reached by now (on foot and by car, in their
// own colours), where the routes start, the chosen cameras with their rank, and the notes.
// The net is cast again every 30 s with the clock moved on (reach grows) until it is cleared.
// "Send to wall" fills the wall's free tiles in rank order; a chosen camera's "Seen here now"
// re-centres the net on it at this moment (following the suspect).
//
// Other views (incidents) draw a plan they already have with `showCastNet(plan, labels)`.
//
// Test hooks on the map element: data-castnet-state ("idle" | "loading" | "shown" | "error"),
// data-castnet-rings, data-castnet-cameras (chosen cameras drawn), data-castnet-roads (reached
// road stretches drawn), data-castnet-request (the JSON body of the last request).

import { errorText } from './api.js';
import { bi, formatInteger, h, isoUTC, message, replace, text } from './dom.js';
import { addToWall } from './wallstore.js';
import { wallButton } from './wallbutton.js';

export const REFRESH_MS = 30_000;
/** Chosen cameras that get a rank label on the map (as many as the largest wall has tiles). */
const RANK_LABELS = 25;
export const MODE_COLORS = { foot: '#2bb673', car: '#f28e2b' };
const MODE_NAMES = { foot: ['도보', 'On foot'], car: ['차량', 'By car'] };

/** The cast-net of the open map, if any (there is one map view). */
let current = null;

/**
 * Draws `plan` (the `plan` of a POST /api/castnet answer) with `labels` (camera id → address) on
 * the camera map and keeps it growing every 30 s. False when the map has not been opened yet.
 */
export function showCastNet(plan, labels = {}) {
  if (!current) return false;
  current.show(plan, labels, { refresh: true });
  return true;
}

/**
 * The cast-net layer of `map` and its side-panel controls: `{layer, panel, destroy}`.
 * `element` carries the test hooks.
 */
export function createCastNetLayer(map, context, element) {
  // Rings and roads on a canvas of their own over roads and view cones. It stays under the
  // overlay pane, whose canvas takes the clicks: a canvas above it would swallow the clicks
  // meant for the site markers, so the chosen cameras (which open popups) are drawn there.
  map.createPane('castnet').style.zIndex = 390;
  const renderer = L.canvas({ pane: 'castnet' });
  const group = L.layerGroup();

  const minutes = h('input', { type: 'number', id: 'castnet-minutes', min: '0', max: '1440', step: '1', value: '0', inputmode: 'numeric' });
  const pickButton = h('button', { type: 'button', id: 'castnet-pick', class: 'button-small' }, bi('여기서 투망', 'Cast-net here'));
  const clearButton = h('button', { type: 'button', id: 'castnet-clear', class: 'button-quiet', disabled: true }, bi('지우기', 'Clear'));
  const wallButtonAll = h('button', { type: 'button', id: 'castnet-wall', class: 'button-small', disabled: true }, bi('영상벽으로', 'Send to wall'));
  const status = h('p', { id: 'castnet-status', class: 'hint', role: 'status' });
  const problem = h('p', { hidden: true });
  const notes = h('ul', { id: 'castnet-notes', class: 'castnet-notes' });
  const wallResult = h('p', { id: 'castnet-wall-result', class: 'hint', role: 'status' });
  const legend = h('p', { class: 'castnet-legend hint' },
    ...Object.entries(MODE_COLORS).map(([mode, color]) => h('span', null,
      h('span', { class: 'swatch', style: { backgroundColor: color }, 'aria-hidden': 'true' }), ' ', bi(...MODE_NAMES[mode]), ' ')));
  const panel = h('fieldset', { class: 'legend castnet-panel' },
    h('legend', null, bi('투망 감시', 'Cast-net')),
    h('label', { class: 'castnet-minutes' }, bi('발생', 'Happened'), ' ', minutes, ' ', bi('분 전', 'min ago')),
    h('div', { class: 'button-row' }, pickButton, wallButtonAll, clearButton),
    h('p', { class: 'hint' }, bi('지도를 오른쪽 클릭해도 됩니다', 'Or right-click the map')),
    status, problem, legend, notes, wallResult);

  /** What is being watched: the point and the incident time; null when cleared. */
  let net = null;
  let plan = null;
  let labels = {};
  let timer = null;
  let sequence = 0;
  let picking = false;

  function hooks(state) {
    element.dataset.castnetState = state;
  }
  hooks('idle');

  function setPicking(on) {
    picking = on;
    map.getContainer().classList.toggle('castnet-picking', on);
    pickButton.setAttribute('aria-pressed', on ? 'true' : 'false');
    if (on) replace(status, bi('지도에서 지점을 누르세요 (Esc: 취소)', 'Click the place on the map (Esc cancels)'));
  }

  /** Casts at `latlng` for an incident `minutesAgo` (default: the field) before now. */
  function castAt(latlng, incidentTime = null) {
    setPicking(false);
    const ago = Number(minutes.value);
    if (incidentTime === null && !(Number.isFinite(ago) && ago >= 0 && ago <= 1440)) {
      message(problem, 'error', '분 전: 0–1440 사이의 숫자 · Minutes ago: a number from 0 to 1440');
      return;
    }
    net = { lat: latlng.lat, lon: latlng.lng, incidentTime: incidentTime ?? Date.now() - Math.round(ago) * 60_000 };
    if (!map.hasLayer(group)) group.addTo(map);
    request();
    startTimer();
  }

  async function request() {
    if (!net) return;
    const mine = ++sequence;
    const now = Date.now();
    const body = {
      latitude: net.lat,
      longitude: net.lon,
      incidentTime: isoUTC(Math.min(net.incidentTime, now)),
      now: isoUTC(now),
    };
    element.dataset.castnetRequest = JSON.stringify(body);
    hooks('loading');
    message(problem, 'error', '');
    try {
      const answer = await context.api.post('/api/castnet', body);
      if (mine !== sequence || !net) return;
      show(answer.plan, answer.labels || {}, { refresh: false });
    } catch (error) {
      if (mine !== sequence) return;
      hooks('error');
      message(problem, 'error', errorText(error));
    }
  }

  function startTimer() {
    clearInterval(timer);
    timer = setInterval(request, REFRESH_MS);
  }

  function latLng(point) {
    return [point.latitude, point.longitude];
  }

  function show(newPlan, newLabels, { refresh }) {
    if (!newPlan || !newPlan.centre) return;
    plan = newPlan;
    labels = newLabels || {};
    if (refresh) {
      // A plan from elsewhere: keep it growing from its own centre and incident time.
      net = { lat: plan.centre.latitude, lon: plan.centre.longitude, incidentTime: Date.parse(plan.incidentTime) || Date.now() };
      sequence += 1;
      startTimer();
      if (!map.hasLayer(group)) group.addTo(map);
    }
    group.clearLayers();
    const centre = latLng(plan.centre);
    for (const ring of plan.rings || []) {
      group.addLayer(L.circle(centre, {
        renderer, interactive: false, radius: ring.radius, color: '#e15759', weight: 2, fill: ring.kind === 'inner',
        fillOpacity: 0.05, dashArray: ring.kind === 'outer' ? '8 6' : null,
      }));
    }
    for (const road of plan.reachedRoads || []) {
      group.addLayer(L.polyline((road.polyline || []).map(latLng), {
        renderer, interactive: false, color: MODE_COLORS[road.mode] || '#cccccc', weight: road.mode === 'car' ? 3 : 2, opacity: 0.85,
      }));
    }
    for (const start of plan.routeStarts || []) {
      group.addLayer(L.circleMarker(latLng(start.point), {
        renderer, interactive: false, radius: 4, color: MODE_COLORS[start.mode] || '#ccc', weight: 2, fillOpacity: 1,
      }));
    }
    group.addLayer(L.circleMarker(centre, { renderer, interactive: false, radius: 6, color: '#ffffff', weight: 3, fillColor: '#e15759', fillOpacity: 1 }));
    const cameras = plan.cameras || [];
    for (const pick of cameras) {
      const marker = L.circleMarker(latLng(pick.point), {
        radius: 7, color: '#ffffff', weight: 2, fillColor: pick.ring === 'inner' ? '#e15759' : '#f2c14e', fillOpacity: 0.95,
      });
      marker.bindPopup(() => pickPopup(pick), { maxWidth: 320 });
      group.addLayer(marker);
      if (pick.rank <= RANK_LABELS) {
        const label = L.marker(latLng(pick.point), {
          icon: L.divIcon({ className: 'castnet-rank', html: `<span>${Number(pick.rank)}</span>`, iconSize: [20, 20], iconAnchor: [-4, 22] }),
          keyboard: false,
        });
        label.bindPopup(() => pickPopup(pick), { maxWidth: 320 });
        group.addLayer(label);
      }
    }
    element.dataset.castnetRings = String((plan.rings || []).length);
    element.dataset.castnetCameras = String(cameras.length);
    element.dataset.castnetRoads = String((plan.reachedRoads || []).length);
    replace(notes, (plan.notes || []).map((note) => h('li', { class: 'message message-warn' }, text(note.message))));
    const elapsed = Math.round((plan.elapsedSeconds || 0) / 60);
    replace(status, bi('카메라', 'Cameras'), ` ${formatInteger(cameras.length)} · `,
      bi('도달 도로', 'Reached roads'), ` ${formatInteger((plan.reachedRoads || []).length)} · `,
      bi('경과', 'Elapsed'), ` ${formatInteger(elapsed)} min`);
    clearButton.disabled = false;
    wallButtonAll.disabled = cameras.length === 0;
    hooks('shown');
  }

  function pickPopup(pick) {
    const label = labels[pick.cameraID] || pick.cameraID;
    const popupStatus = h('p', { class: 'hint', role: 'status' });
    const follow = h('button', { type: 'button', class: 'button-small castnet-follow' }, bi('여기서 목격', 'Seen here now'));
    follow.addEventListener('click', () => {
      map.closePopup();
      castAt(L.latLng(pick.point.latitude, pick.point.longitude), Date.now());
    });
    const arrival = Number.isFinite(pick.arrivalSeconds)
      ? `${formatInteger(Math.round(pick.arrivalSeconds / 60))} min ${pick.arrivalMode ? `(${MODE_NAMES[pick.arrivalMode]?.[1] ?? pick.arrivalMode})` : ''}` : '—';
    return h('div', { class: 'site-popup' },
      h('h2', null, `#${Number(pick.rank)} `, text(label)),
      h('dl', null,
        h('dt', null, bi('거리', 'Distance')), h('dd', null, `${formatInteger(Math.round(pick.distance))} m`),
        h('dt', null, bi('지점 방향', 'Looks at it')), h('dd', null, pick.coversPoint ? '예 · yes' : '아니오 · no'),
        h('dt', null, bi('도달', 'Reachable after')), h('dd', null, arrival)),
      h('div', { class: 'button-row' }, wallButton(context, { id: pick.cameraID, label }, popupStatus), follow),
      popupStatus);
  }

  function clear() {
    net = null;
    plan = null;
    sequence += 1;
    clearInterval(timer);
    timer = null;
    group.clearLayers();
    setPicking(false);
    replace(status, '');
    replace(notes);
    replace(wallResult, '');
    message(problem, 'error', '');
    clearButton.disabled = true;
    wallButtonAll.disabled = true;
    for (const key of ['castnetRings', 'castnetCameras', 'castnetRoads']) element.dataset[key] = '0';
    hooks('idle');
  }

  function sendToWall() {
    if (!plan) return;
    let added = 0;
    let already = 0;
    let left = 0;
    for (const pick of [...plan.cameras].sort((a, b) => a.rank - b.rank)) {
      const answer = addToWall(context.user, { id: pick.cameraID, label: labels[pick.cameraID] || pick.cameraID });
      if (answer.index === 0) left += 1;
      else if (answer.already) already += 1;
      else added += 1;
    }
    replace(wallResult,
      `${formatInteger(added)}대 추가 · ${formatInteger(added)} added`,
      already ? `, ${formatInteger(already)} already there` : '',
      left ? ` · ${formatInteger(left)}대는 빈 칸이 없어 못 넣음 · ${formatInteger(left)} did not fit` : '',
      ' — ', h('a', { href: '#wall' }, bi('영상벽 보기', 'Open wall')));
  }

  // Switching the layer off in the layer control ends the net: no casting (each one
  // audit-logged) for a net nobody sees.
  group.on('remove', () => {
    if (net || plan) clear();
  });
  pickButton.addEventListener('click', () => setPicking(!picking));
  clearButton.addEventListener('click', clear);
  wallButtonAll.addEventListener('click', sendToWall);
  map.on('click', (event) => {
    if (picking) castAt(event.latlng);
  });
  map.on('contextmenu', (event) => castAt(event.latlng));
  map.getContainer().addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && picking) {
      setPicking(false);
      replace(status, '');
    }
  });

  const api = {
    layer: group,
    panel,
    show,
    destroy() {
      clearInterval(timer);
      timer = null;
      if (current === api) current = null;
    },
  };
  current = api;
  return api;
}
