// Emergency bells on the map: GET /api/bells (fetched when the layer is first switched on,
// again on the map's Reload), one red square per bell; its popup names the place and lists the
// cameras that can see it, each with "Add to wall".
//
// Test hook: the map element's data-bells (bells drawn now).

import { errorText } from './api.js';
import { bi, formatInteger, h, text } from './dom.js';
import { wallButton } from './wallbutton.js';

const ICON = L.divIcon({ className: 'bell-marker', html: '<span aria-hidden="true"></span>', iconSize: [14, 14] });

export function createBellLayer(map, context, element, report) {
  const group = L.layerGroup();
  let loaded = false;

  function popupFor(bell) {
    const status = h('p', { class: 'hint', role: 'status' });
    const mayWatch = context.can(['administrator', 'operator', 'police']);
    const cameras = (bell.cameras || []).map((camera) => h('li', null,
      h('span', { class: 'site-camera-name' }, text(camera.address),
        h('span', { class: 'muted' }, ` ${formatInteger(Math.round(camera.distance))} m`)),
      mayWatch ? wallButton(context, { id: camera.id, label: camera.address }, status) : null));
    return h('div', { class: 'site-popup bell-popup' },
      h('h2', null, bi('비상벨', 'Emergency bell'), ` ${text(bell.key ?? bell.managementNumber)}`),
      h('dl', null,
        // The key (관리번호) is what presses and drills name; the installer's number may be shared.
        bell.managementNumber && bell.managementNumber !== bell.key
          ? [h('dt', null, bi('비상벨관리번호', 'Installer no.')), h('dd', null, text(bell.managementNumber))] : null,
        h('dt', null, bi('위치', 'Place')), h('dd', null, text(bell.place)),
        h('dt', null, bi('주소', 'Address')), h('dd', null, text(bell.address)),
        h('dt', null, bi('장소', 'Site type')), h('dd', null, text(bell.placeType)),
        h('dt', null, bi('경찰연계', 'Police link')), h('dd', null, text(bell.policeLinked))),
      h('div', { class: 'site-cameras-wrap' },
        h('h3', null, bi('비상벨을 보는 카메라', 'Cameras that see it')),
        h('ul', { class: 'site-cameras' }, cameras.length ? cameras
          : h('li', { class: 'muted' }, bi('볼 수 있는 카메라 없음', 'No camera you may see covers it'))),
        status));
  }

  async function load() {
    try {
      const answer = await context.api.get('/api/bells');
      group.clearLayers();
      const bells = Array.isArray(answer?.bells) ? answer.bells : [];
      for (const bell of bells) {
        if (!Number.isFinite(bell?.lat) || !Number.isFinite(bell?.lon)) continue;
        const marker = L.marker([bell.lat, bell.lon], { icon: ICON, title: `비상벨 ${bell.key ?? bell.managementNumber}`, keyboard: false });
        marker.bindPopup(() => popupFor(bell), { maxWidth: 360 });
        group.addLayer(marker);
      }
      loaded = true;
      element.dataset.bells = String(group.getLayers().length);
      report('info', bells.length ? '' : '등록된 비상벨 없음 (citywatch bells import) · No bells registered');
    } catch (error) {
      report('error', `비상벨 · Bells: ${errorText(error)}`);
      element.dataset.bells = '0';
    }
  }

  group.on('add', () => {
    if (!loaded) load();
  });
  group.on('remove', () => report('info', ''));
  return {
    layer: group,
    reload() {
      loaded = false;
      if (map.hasLayer(group)) load();
    },
  };
}
