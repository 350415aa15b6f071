// The map: one light marker per site (pole) from GET /api/sites, clustered with
// Leaflet.markercluster (chunked loading keeps 20,000 sites smooth), coloured by purpose,
// filtered by the purpose legend. Leaflet (`L`) is loaded by index.html from /vendor/.
//
// Test hooks (keep): <div id="map"> carries data-marker-count (site markers in the cluster
// group after filtering), data-ready="true" once the first load has finished and data-loads
// (how many site lists it has drawn).
//
// For those who may watch video, a site's popup lists its cameras with "Add to wall" (first
// empty tile of the video wall) and a playback link.
//
// Layers the operator switches on and off (Leaflet's layer control, top right): roads
// (roadlayer.js), view directions (viewlayer.js), emergency bells (belllayer.js), the cast-net
// (castnetlayer.js, with its controls in the side panel) and whatever other views register in
// maplayers.js (the incidents layer goes there). Each layer's checkbox label carries
// data-layer="KEY" for tests.

import { errorText, NOT_MODIFIED } from './api.js';
import { bi, escapeHTML, formatInteger, h, message, replace, text } from './dom.js';
import { cameraLabel } from './camerapicker.js';
import { createBellLayer } from './belllayer.js';
import { createCastNetLayer } from './castnetlayer.js';
import { mapOverlays } from './maplayers.js';
import { createRoadLayer } from './roadlayer.js';
import { createViewLayer } from './viewlayer.js';
import { wallButton } from './wallbutton.js';
import { effectivePurposeLabel } from './retasking.js';

const DEFAULT_CENTER = [37.5665, 126.978];
const DEFAULT_ZOOM = 12;
const MIN_ZOOM = 3;
const MAX_ZOOM = 19;

/**
 * A Leaflet map in `element` at the configured centre and zoom (GET /api/config), with the
 * configured tiles when there are any; `notice` says when there are none or they fail to load.
 * The map's `hasTiles` tells which. Shared with the search view's area drawing.
 */
export function createBaseMap(element, config, notice) {
  const center = Array.isArray(config?.center) && config.center.length === 2 && config.center.every(Number.isFinite)
    ? config.center : DEFAULT_CENTER;
  const zoom = Number.isFinite(config?.zoom) ? Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, config.zoom)) : DEFAULT_ZOOM;
  const map = L.map(element, {
    center,
    zoom,
    minZoom: MIN_ZOOM,
    maxZoom: MAX_ZOOM, // the cluster group needs it, tiles or not
    preferCanvas: true,
    zoomAnimation: false,
    fadeAnimation: false,
    markerZoomAnimation: false,
    attributionControl: true,
  });
  map.attributionControl.setPrefix(false);
  map.hasTiles = typeof config?.tileURL === 'string' && config.tileURL !== '';
  if (map.hasTiles) {
    const tiles = L.tileLayer(config.tileURL, {
      minZoom: MIN_ZOOM,
      maxZoom: MAX_ZOOM,
      attribution: escapeHTML(config.tileAttribution || ''),
    });
    let reported = false;
    tiles.on('tileerror', () => {
      if (reported) return;
      reported = true;
      message(notice, 'warn', '배경지도를 불러올 수 없습니다. 카메라는 그대로 표시됩니다 · Base map unreachable; cameras are still shown');
    });
    tiles.addTo(map);
  } else {
    message(notice, 'info', '배경지도 없음 · No base map configured');
  }
  return map;
}

export function createMapView(context) {
  const mapElement = h('div', { id: 'map', role: 'region', 'aria-label': '카메라 지도 Camera map' });
  const status = h('p', { class: 'map-status', role: 'status' }, '불러오는 중… Loading…');
  const notice = h('p', { hidden: true });
  const problem = h('p', { hidden: true });
  const legendList = h('ul', { class: 'legend-list' });
  const legend = h('fieldset', { id: 'legend', class: 'legend' },
    h('legend', null, bi('용도', 'Purpose')),
    legendList);
  const allButton = h('button', { type: 'button', class: 'button-quiet' }, bi('모두', 'All'));
  const noneButton = h('button', { type: 'button', class: 'button-quiet' }, bi('없음', 'None'));
  const reloadButton = h('button', { type: 'button', class: 'button-quiet' }, bi('새로고침', 'Reload'));
  /** One line per layer that has something to say (zoom in, failed to load). */
  const layerNotes = h('div', { class: 'layer-notes' });
  const castNetSlot = h('div');
  const el = h('section', { class: 'view-map', 'aria-label': '지도 Map' },
    mapElement,
    h('aside', { class: 'map-side' },
      h('h1', null, bi('카메라 지도', 'Camera map')),
      status,
      problem,
      notice,
      legend,
      h('div', { class: 'button-row' }, allButton, noneButton, reloadButton),
      layerNotes,
      castNetSlot));

  let map = null;
  let cluster = null;
  let purposes = null;
  /** purpose code → circle markers of that purpose's sites */
  let markersByPurpose = new Map();
  /** purpose codes whose markers are in the cluster group now */
  let shownPurposes = new Set();
  let totalSites = 0;
  let busy = false;
  let again = false;
  let firstLoadDone = false;
  let finishChunks = null;
  let bellLayer = null;
  let viewLayer = null;
  let castNet = null;
  /** The ETag of the site list on the map (GET /api/sites). */
  let sitesTag = null;

  function markFirstLoadDone() {
    if (!firstLoadDone) {
      firstLoadDone = true;
      mapElement.dataset.ready = 'true';
    }
  }

  function wantedPurposes() {
    return new Set([...legend.querySelectorAll('input[name="purpose"]:checked')].map((input) => input.value));
  }

  /** Brings the cluster group in line with the legend's checkboxes (one change at a time). */
  function applyFilter() {
    if (!cluster) return;
    if (busy) {
      again = true;
      return;
    }
    const wanted = wantedPurposes();
    let toAdd = [];
    let toRemove = [];
    let kept = [];
    for (const [code, markers] of markersByPurpose) {
      const shown = shownPurposes.has(code);
      if (wanted.has(code)) {
        if (shown) kept = kept.concat(markers);
        else toAdd = toAdd.concat(markers);
      } else if (shown) {
        toRemove = toRemove.concat(markers);
      }
    }
    busy = true;
    if (toRemove.length > kept.length) {
      // Rebuilding from the few that stay is cheaper than removing many one by one.
      cluster.clearLayers();
      toAdd = kept.concat(toAdd);
    } else if (toRemove.length > 0) {
      cluster.removeLayers(toRemove);
    }
    shownPurposes = new Set([...wanted].filter((code) => markersByPurpose.has(code)));
    addChunked(toAdd, filterApplied);
  }

  /** Adds markers in chunks (markercluster's chunkedLoading) and calls `done` at the end. */
  function addChunked(markers, done) {
    if (markers.length === 0) {
      done();
      return;
    }
    finishChunks = done;
    cluster.addLayers(markers);
  }

  function onChunkProgress(processed, total) {
    if (processed >= total && finishChunks) {
      const done = finishChunks;
      finishChunks = null;
      done();
    }
  }

  function filterApplied() {
    busy = false;
    viewLayer?.refresh();
    const count = cluster.getLayers().length;
    mapElement.dataset.markerCount = String(count);
    let cameras = 0;
    for (const code of shownPurposes) {
      for (const marker of markersByPurpose.get(code) || []) cameras += marker.site.cameraCount || 0;
    }
    replace(status,
      bi('지점', 'Sites'), ` ${formatInteger(count)} / ${formatInteger(totalSites)} · `,
      bi('카메라', 'Cameras'), ` ${formatInteger(cameras)}`);
    markFirstLoadDone();
    if (again) {
      again = false;
      applyFilter();
    }
  }

  function markerFor(site) {
    const marker = L.circleMarker([site.lat, site.lon], {
      radius: site.cameraCount > 1 ? 7 : 5,
      color: '#0b0d10',
      weight: 1,
      opacity: 1,
      fillColor: purposes.color(site.effectivePurpose || site.purpose),
      fillOpacity: 0.95,
    });
    marker.site = site;
    return marker;
  }

  function popupFor(site) {
    const rows = [];
    const row = (korean, english, value) => {
      rows.push(h('dt', null, bi(korean, english)), h('dd', null, text(value)));
    };
    const address = site.roadAddress || site.lotAddress;
    row('주소', 'Address', address);
    if (site.roadAddress && site.lotAddress && site.lotAddress !== site.roadAddress) row('지번', 'Lot', site.lotAddress);
    rows.push(h('dt', null, bi('용도', 'Purpose')), h('dd', null, effectivePurposeLabel(purposes, site)));
    row('카메라 수', 'Cameras', formatInteger(site.cameraCount));
    row('관리기관', 'Agency', site.agency);
    row('전화', 'Phone', site.phone);
    row('촬영방면', 'View direction', site.viewDirection);
    return h('div', { class: 'site-popup' },
      h('h2', null, text(site.label || address)),
      h('dl', null, rows),
      context.can(['administrator', 'operator', 'police']) ? siteCameras(site) : null);
  }

  /** The site's cameras (GET /api/cameras near the pole, kept to this site) with wall buttons. */
  function siteCameras(site) {
    const list = h('ul', { class: 'site-cameras' }, h('li', { class: 'muted' }, bi('카메라 불러오는 중…', 'Loading cameras…')));
    const status = h('p', { class: 'hint', role: 'status' });
    context.api.get('/api/cameras', { query: { near: `${site.lat},${site.lon}`, radius: 5, limit: 50 } })
      .then((answer) => {
        const cameras = (Array.isArray(answer?.items) ? answer.items : []).filter((camera) => camera.siteId === site.id);
        replace(list, cameras.length ? cameras.map((camera) => {
          const add = wallButton(context, { id: camera.id, label: cameraLabel(camera) }, status);
          return h('li', null,
            h('span', { class: 'site-camera-name' }, text(cameraLabel(camera))),
            add, ' ',
            h('a', { href: `#playback?camera=${encodeURIComponent(camera.id)}`, title: '녹화 재생 Playback' }, '재생'));
        }) : h('li', { class: 'muted' }, bi('볼 수 있는 카메라 없음', 'No cameras you may see')));
      })
      .catch((error) => replace(list, h('li', { class: 'message message-error' }, errorText(error))));
    return h('div', { class: 'site-cameras-wrap' }, h('h3', null, bi('카메라', 'Cameras')), list, status);
  }

  function renderLegend(previouslyUnchecked) {
    const summary = new Map();
    for (const [code, markers] of markersByPurpose) {
      let cameras = 0;
      for (const marker of markers) cameras += marker.site.cameraCount || 0;
      summary.set(code, { sites: markers.length, cameras, text: markers[0]?.site.purposeText });
    }
    const codes = [...summary.keys()].sort((a, b) => purposes.order(a) - purposes.order(b) || a.localeCompare(b));
    const items = codes.map((code) => {
      const { sites, cameras, text: purposeText } = summary.get(code);
      const korean = purposes.byCode.has(code) ? purposes.korean(code) : (purposeText || code);
      return h('li', null,
        h('label', { title: `${formatInteger(sites)} 지점 sites` },
          h('input', { type: 'checkbox', name: 'purpose', value: code, checked: !previouslyUnchecked.has(code) }),
          h('span', { class: 'swatch', style: { backgroundColor: purposes.color(code) }, 'aria-hidden': 'true' }),
          h('span', { class: 'legend-name' },
            h('span', { class: 'ko', lang: 'ko' }, korean), ' ',
            h('span', { class: 'en', lang: 'en' }, purposes.english(code))),
          h('span', { class: 'legend-count', title: `${formatInteger(sites)} 지점 sites · ${formatInteger(cameras)} 카메라 cameras` },
            `${formatInteger(sites)} / ${formatInteger(cameras)}`)));
    });
    const heading = h('li', { class: 'legend-heading muted' }, h('span', null, ''), h('span', { class: 'legend-count' }, '지점 sites / 카메라 cameras'));
    replace(legendList, items.length ? [heading, ...items] : h('li', { class: 'muted' }, bi('표시할 카메라 없음', 'No cameras to show')));
  }

  function setSites(sites) {
    markersByPurpose = new Map();
    totalSites = 0;
    for (const site of sites) {
      if (!Number.isFinite(site?.lat) || !Number.isFinite(site?.lon)) continue;
      const code = site.purpose || 'other';
      if (!markersByPurpose.has(code)) markersByPurpose.set(code, []);
      markersByPurpose.get(code).push(markerFor(site));
      totalSites += 1;
    }
  }

  function fitToMarkers() {
    const points = [];
    for (const markers of markersByPurpose.values()) {
      for (const marker of markers) points.push([marker.site.lat, marker.site.lon]);
    }
    if (points.length === 1) map.setView(points[0], 16);
    else if (points.length > 1) map.fitBounds(L.latLngBounds(points), { padding: [24, 24], maxZoom: 17 });
  }

  function createMap(config) {
    map = createBaseMap(mapElement, config, notice);
    if (!map.hasTiles) el.classList.add('no-tiles');
    cluster = L.markerClusterGroup({
      chunkedLoading: true,
      chunkProgress: onChunkProgress,
      animate: false,
      animateAddingMarkers: false,
      showCoverageOnHover: false,
      spiderfyOnMaxZoom: true,
      removeOutsideVisibleBounds: true,
      maxClusterRadius: 60,
      // Neutral clusters: the plugin's default green/yellow/orange would read as purpose colours.
      iconCreateFunction: (group) => L.divIcon({
        html: `<div><span>${Number(group.getChildCount())}</span></div>`,
        className: 'marker-cluster site-cluster',
        iconSize: L.point(40, 40),
      }),
    });
    cluster.on('click', (event) => {
      const site = event.layer?.site;
      if (!site) return;
      L.popup({ maxWidth: 360, className: 'site-popup-wrap' })
        .setLatLng([site.lat, site.lon])
        .setContent(popupFor(site))
        .openOn(map);
    });
    cluster.addTo(map);
    addLayers();
  }

  /** A function a layer calls to show (kind, text) in the side panel; empty text hides it. */
  function reporter(key) {
    const line = h('p', { hidden: true, dataset: { layerNote: key } });
    layerNotes.appendChild(line);
    return (kind, content) => message(line, kind, content);
  }

  /** The sites on the map now (the purposes ticked in the legend). */
  function shownSites() {
    const sites = [];
    for (const code of shownPurposes) {
      for (const marker of markersByPurpose.get(code) || []) sites.push(marker.site);
    }
    return sites;
  }

  function addLayers() {
    const roads = createRoadLayer(map, context, mapElement, reporter('roads'));
    viewLayer = createViewLayer(map, shownSites, mapElement, reporter('views'));
    bellLayer = createBellLayer(map, context, mapElement, reporter('bells'));
    const overlays = [
      ['roads', '도로', 'Roads', roads],
      ['views', '촬영방향', 'View directions', viewLayer.layer],
      ['bells', '비상벨', 'Emergency bells', bellLayer.layer],
    ];
    if (context.can(['administrator', 'operator', 'police'])) {
      castNet = createCastNetLayer(map, context, mapElement);
      replace(castNetSlot, castNet.panel);
      overlays.push(['castnet', '투망', 'Cast-net', castNet.layer]);
    }
    for (const overlay of mapOverlays()) {
      const layer = overlay.create(map, context);
      overlays.push([overlay.key, overlay.korean || overlay.key, overlay.english || '', layer]);
      if (overlay.checked) layer.addTo(map);
    }
    const control = {};
    for (const [key, korean, english, layer] of overlays) {
      control[`<span data-layer="${escapeHTML(key)}">${escapeHTML(korean)} <span class="en">${escapeHTML(english)}</span></span>`] = layer;
    }
    L.control.layers(null, control, { collapsed: false, position: 'topright' }).addTo(map);
  }

  /**
   * Loads the sites; with `ifChanged`, only when the server's list changed since the last load
   * (its ETag): an import, a group change or a re-tasking made while the map was not shown.
   */
  async function load({ ifChanged = false } = {}) {
    reloadButton.disabled = true;
    message(problem, 'error', '');
    try {
      const sitesRequest = context.api.get('/api/sites', { withETag: true, ifNoneMatch: ifChanged ? sitesTag : null });
      sitesRequest.catch(() => {});
      const [config, purposeBook] = await Promise.all([context.getConfig(), context.getPurposes()]);
      purposes = purposeBook;
      if (!map) createMap(config);
      const fetched = await sitesRequest;
      if (fetched === NOT_MODIFIED) return;
      sitesTag = fetched.etag;
      const answer = fetched.data;
      mapElement.dataset.loads = String(Number(mapElement.dataset.loads || 0) + 1);
      const unchecked = new Set([...legend.querySelectorAll('input[name="purpose"]:not(:checked)')].map((input) => input.value));
      cluster.clearLayers();
      shownPurposes = new Set();
      setSites(Array.isArray(answer?.sites) ? answer.sites : []);
      renderLegend(unchecked);
      if (!firstLoadDone) fitToMarkers();
      applyFilter();
      bellLayer?.reload();
    } catch (error) {
      replace(status, '');
      message(problem, 'error', errorText(error));
      mapElement.dataset.markerCount = cluster ? String(cluster.getLayers().length) : '0';
      markFirstLoadDone();
    } finally {
      reloadButton.disabled = false;
    }
  }

  legend.addEventListener('change', (event) => {
    if (event.target.matches('input[name="purpose"]')) applyFilter();
  });
  allButton.addEventListener('click', () => {
    for (const input of legend.querySelectorAll('input[name="purpose"]')) input.checked = true;
    applyFilter();
  });
  noneButton.addEventListener('click', () => {
    for (const input of legend.querySelectorAll('input[name="purpose"]')) input.checked = false;
    applyFilter();
  });
  reloadButton.addEventListener('click', () => {
    if (!busy) load();
  });

  return {
    el,
    show() {
      if (!map && !reloadButton.disabled) load();
      else if (map) {
        map.invalidateSize();
        // Other views read the registry when they need it; the map holds it, so it asks whether it changed.
        if (!busy && !reloadButton.disabled) load({ ifChanged: true });
      }
    },
    destroy() {
      castNet?.destroy();
      castNet = null;
      if (map) map.remove();
      map = null;
      cluster = null;
    },
  };
}
