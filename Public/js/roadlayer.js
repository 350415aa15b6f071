// The road network layer: GET /api/roads (GeoJSON, fetched once) drawn as thin lines on a
// canvas in a pane under the camera markers, only from ROADS_MIN_ZOOM in, where streets are
// far enough apart to read.
//
// Test hooks on the map element: data-roads-lines (lines drawn now; 0 when hidden or zoomed
// out), data-roads-draw-ms (time from adding the lines to the frame after they were painted).

import { errorText } from './api.js';

export const ROADS_MIN_ZOOM = 13;

const STYLE = {
  all: { color: '#8d99a8', weight: 1.5, opacity: 0.8 },
  cars: { color: '#8d99a8', weight: 1.5, opacity: 0.8 },
  pedestrians: { color: '#6f8f7f', weight: 1, opacity: 0.7, dashArray: '3 3' },
  none: { color: '#5b6470', weight: 1, opacity: 0.5, dashArray: '1 4' },
};

/**
 * A layer group for the layer control. `report(kind, text)` shows loading problems and the
 * "zoom in" hint; `element` carries the test hooks.
 */
export function createRoadLayer(map, context, element, report) {
  map.createPane('roads').style.zIndex = 350; // under overlayPane (400) and markers (600)
  const renderer = L.canvas({ pane: 'roads', padding: 0.2 });
  const group = L.layerGroup();
  let lines = null;
  let loading = null;

  function load() {
    if (!loading) {
      loading = context.api.get('/api/roads').then((answer) => {
        lines = L.geoJSON(answer, {
          renderer,
          interactive: false,
          style: (feature) => STYLE[feature?.properties?.access] || STYLE.all,
        });
        return lines;
      });
      loading.catch(() => { loading = null; });
    }
    return loading;
  }

  function drawn(count) {
    element.dataset.roadsLines = String(count);
  }

  async function update() {
    if (!map.hasLayer(group)) return;
    if (map.getZoom() < ROADS_MIN_ZOOM) {
      group.clearLayers();
      drawn(0);
      report('info', `도로는 확대하면 보입니다 · Zoom in to see roads (from zoom ${ROADS_MIN_ZOOM})`);
      return;
    }
    report('info', '');
    if (lines && group.hasLayer(lines)) return;
    try {
      const layer = await load();
      if (!map.hasLayer(group) || map.getZoom() < ROADS_MIN_ZOOM || group.hasLayer(layer)) return;
      const started = performance.now();
      group.addLayer(layer);
      // The canvas paints on the next animation frame; the one after it sees the result.
      requestAnimationFrame(() => requestAnimationFrame(() => {
        element.dataset.roadsDrawMs = String(Math.round(performance.now() - started));
        drawn(layer.getLayers().length);
      }));
    } catch (error) {
      report('error', `도로망 · Roads: ${errorText(error)}`);
      drawn(0);
    }
  }

  group.on('add', update);
  group.on('remove', () => {
    group.clearLayers();
    drawn(0);
    report('info', '');
  });
  map.on('zoomend', update);
  return group;
}
