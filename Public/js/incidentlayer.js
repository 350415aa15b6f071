// Incidents on the camera map: every incident not closed that has a place (a 112/119 report, a
// bell, an operator's), a red numbered marker whose popup says what, when and how it stands,
// with "Show cast-net" (the net at that place since it happened, drawn by the cast-net layer)
// and a link to the incident in the Alarms & incidents view. Refreshed every 30 s and whenever
// an incident is opened or changed on this console's live feed.
//
// Test hooks: the map element's data-incidents (markers drawn now); markers are
// .incident-marker[data-incident].

import { errorText } from './api.js';
import { bi, formatTime, h, text } from './dom.js';
import { showCastNet } from './castnetlayer.js';
import { registerMapOverlay } from './maplayers.js';

const REFRESH_MS = 30_000;
const WATCHERS = ['administrator', 'operator', 'police'];
/** Fired on window by the alarms view when an incident is opened or changed. */
export const INCIDENTS_EVENT = 'citywatch:incidents';

function icon(incident) {
  return L.divIcon({
    className: 'incident-marker-wrap',
    html: `<span class="incident-marker" data-incident="${encodeURIComponent(incident.id)}">${incident.drill ? '훈' : '!'}</span>`,
    iconSize: [26, 26],
    iconAnchor: [13, 13],
  });
}

function createIncidentLayer(map, context) {
  const group = L.layerGroup();
  const element = map.getContainer();
  let timer = null;

  function popupFor(incident) {
    const status = h('p', { class: 'hint', role: 'status' });
    const castButton = h('button', { type: 'button', class: 'button-small incident-castnet' }, bi('투망 보기', 'Show cast-net'));
    castButton.addEventListener('click', async () => {
      castButton.disabled = true;
      try {
        const answer = await context.api.post('/api/castnet', {
          latitude: incident.latitude, longitude: incident.longitude, incidentTime: incident.occurredAt,
        });
        if (!showCastNet(answer.plan, answer.labels)) status.textContent = '지도를 먼저 여세요 · Open the map first';
        else status.textContent = `카메라 ${answer.plan.cameras.length}대 · ${answer.plan.cameras.length} cameras`;
      } catch (error) {
        status.textContent = errorText(error);
      } finally {
        castButton.disabled = false;
      }
    });
    return h('div', { class: 'site-popup incident-popup' },
      h('h2', null, bi('사건', 'Incident'), ` ${incident.number}`, incident.drill ? ' (훈련 drill)' : ''),
      h('p', null, text(`${incident.kindName} · ${incident.title}`)),
      h('dl', null,
        h('dt', null, bi('발생', 'Happened')), h('dd', null, formatTime(incident.occurredAt)),
        h('dt', null, bi('등급', 'Grade')), h('dd', null, String(incident.grade)),
        h('dt', null, bi('출처', 'Origin')), h('dd', null, text(incident.origin || '관제 operator')),
        incident.address ? [h('dt', null, bi('주소', 'Address')), h('dd', null, text(incident.address))] : null),
      h('p', null, castButton, ' ', h('a', { href: '#alarms' }, bi('사건 보기', 'Open incident'))),
      status);
  }

  async function load() {
    try {
      const incidents = await context.api.get('/api/incidents?closedDays=0');
      group.clearLayers();
      let drawn = 0;
      for (const incident of incidents) {
        if (incident.status === 'closed' || typeof incident.latitude !== 'number' || typeof incident.longitude !== 'number') continue;
        L.marker([incident.latitude, incident.longitude], { icon: icon(incident), zIndexOffset: 1000, title: `${incident.number} ${incident.title}` })
          .bindPopup(() => popupFor(incident), { minWidth: 240 })
          .addTo(group);
        drawn += 1;
      }
      element.dataset.incidents = String(drawn);
    } catch (error) {
      element.dataset.incidents = 'error';
      console.warn('incidents layer', errorText(error));
    }
  }

  function start() {
    load();
    clearInterval(timer);
    timer = setInterval(load, REFRESH_MS);
    window.addEventListener(INCIDENTS_EVENT, load);
  }

  function stop() {
    clearInterval(timer);
    timer = null;
    window.removeEventListener(INCIDENTS_EVENT, load);
  }

  group.on('add', start);
  group.on('remove', stop);
  return group;
}

registerMapOverlay({
  key: 'incidents',
  korean: '사건',
  english: 'Incidents',
  checked: true,
  create(map, context) {
    // Users who may not watch incidents get an empty layer.
    return context.can(WATCHERS) ? createIncidentLayer(map, context) : L.layerGroup();
  },
});
