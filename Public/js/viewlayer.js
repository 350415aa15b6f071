// Camera view directions: at street zoom, a small cone per site in the direction its cameras
// look (viewBearing/viewWidth of GET /api/sites, read from the registry's 촬영방면정보), and a
// faint circle for all-round cameras and those whose text names no direction — most of
// Gangnam's registry says "360도 전방면". Drawn only for the sites in view, again after a move.
//
// Test hook: the map element's data-view-wedges (cones drawn now) and data-view-rounds (circles).

export const VIEWS_MIN_ZOOM = 17;
/** Metres a cone reaches: a fixed camera's useful range for recognising a person. */
const REACH = 40;
const ROUND_REACH = 20;
const METRES_PER_DEGREE_LATITUDE = 111_320;

/** The cone of a camera at `lat`, `lon` looking to `bearing` degrees, `width` wide, as latlngs. */
export function wedge(lat, lon, bearing, width, reach = REACH) {
  const north = reach / METRES_PER_DEGREE_LATITUDE;
  const east = reach / (METRES_PER_DEGREE_LATITUDE * Math.cos((lat * Math.PI) / 180));
  const points = [[lat, lon]];
  const steps = Math.max(2, Math.ceil(width / 10));
  for (let i = 0; i <= steps; i += 1) {
    const angle = ((bearing - width / 2 + (width * i) / steps) * Math.PI) / 180;
    points.push([lat + north * Math.cos(angle), lon + east * Math.sin(angle)]);
  }
  return points;
}

/**
 * A layer group for the layer control; `sites()` gives the sites the map shows now (after the
 * purpose filter), `element` carries the test hooks.
 */
export function createViewLayer(map, sites, element, report) {
  map.createPane('views').style.zIndex = 360;
  const renderer = L.canvas({ pane: 'views' });
  const group = L.layerGroup();

  function counts(wedges, rounds) {
    element.dataset.viewWedges = String(wedges);
    element.dataset.viewRounds = String(rounds);
  }

  function update() {
    if (!map.hasLayer(group)) return;
    group.clearLayers();
    if (map.getZoom() < VIEWS_MIN_ZOOM) {
      counts(0, 0);
      report('info', `촬영방향은 확대하면 보입니다 · Zoom in to see view directions (from zoom ${VIEWS_MIN_ZOOM})`);
      return;
    }
    report('info', '');
    const bounds = map.getBounds().pad(0.1);
    let wedges = 0;
    let rounds = 0;
    for (const site of sites()) {
      if (!bounds.contains([site.lat, site.lon])) continue;
      if (Number.isFinite(site.viewBearing) && Number.isFinite(site.viewWidth)) {
        group.addLayer(L.polygon(wedge(site.lat, site.lon, site.viewBearing, site.viewWidth), {
          renderer, interactive: false, color: '#ffd166', weight: 1, fillOpacity: 0.25,
        }));
        wedges += 1;
      } else {
        group.addLayer(L.circle([site.lat, site.lon], {
          renderer, interactive: false, radius: ROUND_REACH, color: '#ffd166', weight: 0.5, opacity: 0.5, fillOpacity: 0.06,
        }));
        rounds += 1;
      }
    }
    counts(wedges, rounds);
  }

  group.on('add', update);
  group.on('remove', () => {
    group.clearLayers();
    counts(0, 0);
    report('info', '');
  });
  map.on('moveend', update);
  return { layer: group, refresh: update };
}
