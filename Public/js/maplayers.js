// Overlays other views add to the camera map, listed in its layer control beside roads, view
// directions, bells and cast-net. The incidents view registers its layer here:
//
//   registerMapOverlay({ key: 'incidents', korean: '사건', english: 'Incidents', checked: true,
//                        create: (map, context) => L.layerGroup() });
//
// `create` runs once per map, when the map is made; the layer it returns is switched on and
// off by the operator. Overlays registered after the map exists appear the next time it is made.

const overlays = [];

/** Adds an overlay (`{key, korean, english, create(map, context), checked?}`) to every new map. */
export function registerMapOverlay(overlay) {
  if (!overlay || typeof overlay.key !== 'string' || typeof overlay.create !== 'function') {
    throw new TypeError('registerMapOverlay needs {key, create}');
  }
  const index = overlays.findIndex((existing) => existing.key === overlay.key);
  if (index === -1) overlays.push(overlay);
  else overlays[index] = overlay;
}

/** The overlays registered so far, in registration order. */
export function mapOverlays() {
  return overlays.slice();
}
