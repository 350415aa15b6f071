// The search view's map: every visible site as a small dot (GET /api/sites), and an area drawn by
// clicking its corners (double-click, Enter or Done closes it; Backspace takes the last corner
// back; Escape gives up). The area goes into the query as `cameras.area`; the dots inside it tell
// the investigator how many cameras it holds before searching. Leaflet (`L`) comes from /vendor/.
//
// Test hooks: #search-map[data-ready="true"] once the sites are drawn; #search-area-draw,
// #search-area-done, #search-area-clear; #search-area-status[data-corners].

import { errorText } from './api.js';
import { bi, formatInteger, h, message, replace } from './dom.js';
import { createBaseMap } from './map.js';

/** Two clicks closer than this many screen pixels are one corner (the two halves of a double-click). */
const SAME_CORNER_PIXELS = 6;
const AREA_COLOUR = '#ffd33d';

/** True when `point` ({lat, lon}) lies inside the polygon of `corners` ([{latitude, longitude}]). */
function inside(corners, point) {
  let result = false;
  let previous = corners[corners.length - 1];
  for (const corner of corners) {
    if ((corner.latitude > point.lat) !== (previous.latitude > point.lat)) {
      const crossing = (previous.longitude - corner.longitude) * (point.lat - corner.latitude)
        / (previous.latitude - corner.latitude) + corner.longitude;
      if (point.lon < crossing) result = !result;
    }
    previous = corner;
  }
  return result;
}

/**
 * Returns `{el, show(), hide(), area, clear(), destroy()}`; `area` is the finished polygon as
 * `[{latitude, longitude}]`, or null. `onChange(area)` hears every finished or cleared area.
 */
export function createSearchArea(context, { onChange } = {}) {
  const mapElement = h('div', {
    id: 'search-map', class: 'search-map', tabindex: '0', role: 'application',
    'aria-label': '검색 지역 지도 Search area map: Draw, then click the corners; Enter closes, Backspace removes a corner, Escape cancels',
  });
  const draw = h('button', { type: 'button', id: 'search-area-draw', class: 'button-small' }, bi('지역 그리기', 'Draw area'));
  const done = h('button', { type: 'button', id: 'search-area-done', class: 'button-small button-primary', hidden: true }, bi('완료', 'Done'));
  const clearButton = h('button', { type: 'button', id: 'search-area-clear', class: 'button-small button-quiet', disabled: true }, bi('지우기', 'Clear'));
  const status = h('p', { id: 'search-area-status', class: 'hint', role: 'status', dataset: { corners: '0' } });
  const notice = h('p', { hidden: true });
  const el = h('div', { class: 'search-area' }, mapElement, h('div', { class: 'button-row' }, draw, done, clearButton, status), notice);

  let map = null;
  let sites = [];
  let area = null; // [{latitude, longitude}] once finished
  let drawing = null; // [L.LatLng] while the corners are being clicked
  let shape = null; // the Leaflet layer of the area or of the corners so far
  let controller = null;
  let sitesShown = false;

  function describe() {
    const corners = drawing ? drawing.length : area ? area.length : 0;
    status.dataset.corners = String(corners);
    if (drawing) {
      replace(status, bi(`꼭짓점을 누르세요 (${corners}개) — 두 번 누르거나 완료`, `Click the corners (${corners}) — double-click or Done to close`));
    } else if (area) {
      const chosen = sites.filter((site) => inside(area, site));
      const cameras = chosen.reduce((sum, site) => sum + (site.cameraCount || 0), 0);
      replace(status, bi('지역 안', 'In the area'), `: ${formatInteger(chosen.length)} `, bi('지점', 'sites'), ` · ${formatInteger(cameras)} `, bi('카메라', 'cameras'));
    } else {
      replace(status, bi('지역 없음', 'No area drawn'));
    }
    done.hidden = !drawing;
    done.disabled = !drawing || drawing.length < 3;
    draw.disabled = Boolean(drawing);
    clearButton.disabled = !area && !drawing;
  }

  function redraw() {
    shape?.remove();
    shape = null;
    if (!map) return;
    if (drawing && drawing.length) {
      shape = (drawing.length >= 3 ? L.polygon(drawing, { dashArray: '6 4' }) : L.polyline(drawing, { dashArray: '6 4' }))
        .setStyle({ color: AREA_COLOUR, weight: 2, fillOpacity: 0.12, interactive: false });
    } else if (area) {
      shape = L.polygon(area.map((corner) => [corner.latitude, corner.longitude]), { color: AREA_COLOUR, weight: 2, fillOpacity: 0.15, interactive: false });
    }
    shape?.addTo(map);
  }

  function finish() {
    if (!drawing || drawing.length < 3) return false;
    area = drawing.map((point) => ({ latitude: Number(point.lat.toFixed(6)), longitude: Number(point.lng.toFixed(6)) }));
    drawing = null;
    redraw();
    describe();
    onChange?.(area);
    return true;
  }

  function cancel() {
    if (!drawing) return;
    drawing = null;
    redraw();
    describe();
  }

  function clear() {
    drawing = null;
    const had = area !== null;
    area = null;
    redraw();
    describe();
    if (had) onChange?.(null);
  }

  /** Makes the map (once), then draws the sites unless they are on it already. */
  async function load() {
    controller?.abort();
    controller = new AbortController();
    const { signal } = controller;
    try {
      const config = await context.getConfig();
      if (signal.aborted) return;
      if (!map) makeMap(config);
      if (sitesShown) return;
      const [answer, purposes] = await Promise.all([
        context.api.get('/api/sites', { signal }),
        context.getPurposes().catch(() => null),
      ]);
      if (signal.aborted) return;
      sites = (Array.isArray(answer?.sites) ? answer.sites : []).filter((site) => Number.isFinite(site?.lat) && Number.isFinite(site?.lon));
      L.layerGroup(sites.map((site) => L.circleMarker([site.lat, site.lon], {
        radius: 3, weight: 0, fillOpacity: 0.9, interactive: false, fillColor: purposes ? purposes.color(site.purpose) : '#9aa4b1',
      }))).addTo(map);
      sitesShown = true;
      if (sites.length > 1) map.fitBounds(L.latLngBounds(sites.map((site) => [site.lat, site.lon])), { padding: [16, 16], maxZoom: 16 });
      describe();
      mapElement.dataset.ready = 'true';
    } catch (error) {
      if (signal.aborted || error?.name === 'AbortError') return;
      message(notice, 'error', errorText(error));
      mapElement.dataset.ready = 'true';
    }
  }

  function makeMap(config) {
    map = createBaseMap(mapElement, config, notice);
    map.doubleClickZoom.disable(); // a double-click closes the area
    map.on('click', (event) => {
      if (!drawing) return;
      const last = drawing[drawing.length - 1];
      if (last && map.latLngToContainerPoint(last).distanceTo(event.containerPoint) < SAME_CORNER_PIXELS) return;
      drawing.push(event.latlng);
      redraw();
      describe();
    });
    map.on('dblclick', finish);
    redraw();
  }

  draw.addEventListener('click', () => {
    drawing = [];
    redraw();
    describe();
    mapElement.focus({ preventScroll: true });
  });
  done.addEventListener('click', finish);
  clearButton.addEventListener('click', clear);
  mapElement.addEventListener('keydown', (event) => {
    if (!drawing) return;
    if (event.key === 'Enter') finish();
    else if (event.key === 'Escape') cancel();
    else if (event.key === 'Backspace') {
      drawing.pop();
      redraw();
      describe();
    } else return;
    event.preventDefault();
  });
  describe();

  return {
    el,
    /** Makes the map on first showing, and fits it to its box after it was hidden. */
    show() {
      map?.invalidateSize();
      if (!map || !sitesShown) load();
    },
    /** Leaving the view: stops drawing and the sites still loading. */
    hide() {
      cancel();
      controller?.abort();
    },
    get area() {
      return area;
    },
    clear,
    destroy() {
      controller?.abort();
      map?.remove();
      map = null;
    },
  };
}
