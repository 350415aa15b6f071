// The video wall's layout and tile assignment, kept in localStorage per user so the wall comes
// back as it was. Other views (the map, the camera table) add cameras through `addToWall`; the
// wall hears about it through the `citywatch:wall` event on window.

export const LAYOUTS = [1, 4, 9, 16, 25];
export const MAX_TILES = 25;
export const WALL_EVENT = 'citywatch:wall';

function key(user) {
  return `citywatch.wall.v1.${user?.id ?? user?.username ?? 'anonymous'}`;
}

function emptyWall() {
  return { layout: 4, tiles: new Array(MAX_TILES).fill(null), selective: false };
}

/**
 * `{layout, tiles, selective}`: tiles has MAX_TILES entries, each null or `{id, label, reason?,
 * pinned?}`; `selective` when the wall fills itself (selective monitoring).
 */
export function loadWall(user) {
  const wall = emptyWall();
  let stored = null;
  try {
    stored = JSON.parse(localStorage.getItem(key(user)) || 'null');
  } catch {
    stored = null;
  }
  if (!stored || typeof stored !== 'object') return wall;
  if (LAYOUTS.includes(stored.layout)) wall.layout = stored.layout;
  wall.selective = stored.selective === true;
  if (Array.isArray(stored.tiles)) {
    const seen = new Set();
    stored.tiles.slice(0, MAX_TILES).forEach((tile, index) => {
      if (!tile || typeof tile.id !== 'string' || tile.id === '' || tile.id.length > 64 || seen.has(tile.id)) return;
      seen.add(tile.id);
      wall.tiles[index] = { id: tile.id, label: typeof tile.label === 'string' ? tile.label.slice(0, 200) : tile.id };
      if (typeof tile.reason === 'string' && tile.reason) wall.tiles[index].reason = tile.reason.slice(0, 120);
      if (tile.pinned === true) wall.tiles[index].pinned = true;
    });
  }
  return wall;
}

export function saveWall(user, wall) {
  try {
    localStorage.setItem(key(user), JSON.stringify({ layout: wall.layout, tiles: wall.tiles, selective: wall.selective === true }));
  } catch {
    // Private mode or a full quota: the wall still works, it is just not remembered.
  }
}

/**
 * Puts a camera (`{id, label}`) in the first empty tile of the current layout. Answers
 * `{index, already}` (1-based tile number; `already` when it was on the wall) or `{index: 0}`
 * when every tile is taken.
 */
export function addToWall(user, camera) {
  const wall = loadWall(user);
  const id = String(camera.id);
  const existing = wall.tiles.slice(0, wall.layout).findIndex((tile) => tile?.id === id);
  if (existing !== -1) return { index: existing + 1, already: true };
  const free = wall.tiles.slice(0, wall.layout).findIndex((tile) => !tile);
  if (free === -1) return { index: 0 };
  // The camera may sit in a tile hidden by a smaller layout: it moves.
  wall.tiles = wall.tiles.map((tile) => (tile?.id === id ? null : tile));
  wall.tiles[free] = { id, label: String(camera.label || id) };
  saveWall(user, wall);
  window.dispatchEvent(new CustomEvent(WALL_EVENT));
  return { index: free + 1, already: false };
}

/**
 * Puts cameras (`[{id, label}]`, most important first) on the wall because of `reason` (an
 * alarm, a cast-net): cameras already shown keep their tile and take the reason; the others
 * fill empty tiles, the layout grows when that makes room, and only then do the last tiles
 * give way — never a tile holding one of these cameras. Answers `{placed, missed}`.
 */
export function bringToWall(user, cameras, reason) {
  const wall = loadWall(user);
  const wanted = [];
  for (const camera of cameras) {
    const id = String(camera.id);
    if (!wanted.some((entry) => entry.id === id)) wanted.push({ id, label: String(camera.label || id) });
  }
  const note = String(reason || '').slice(0, 120);
  const shown = (id) => wall.tiles.slice(0, wall.layout).findIndex((tile) => tile?.id === id);
  const missing = wanted.filter((entry) => shown(entry.id) === -1);
  const used = wall.tiles.slice(0, wall.layout).filter(Boolean).length;
  const fits = LAYOUTS.find((count) => count >= used + missing.length);
  if (fits && fits > wall.layout) wall.layout = fits;
  else if (!fits) wall.layout = MAX_TILES;
  let placed = 0;
  for (const entry of wanted) {
    const index = shown(entry.id);
    if (index !== -1) {
      wall.tiles[index] = { ...wall.tiles[index], reason: note };
      placed += 1;
      continue;
    }
    wall.tiles = wall.tiles.map((tile, at) => (at >= wall.layout && tile?.id === entry.id ? null : tile));
    let free = wall.tiles.slice(0, wall.layout).findIndex((tile) => !tile);
    if (free === -1) {
      const keep = new Set(wanted.map((candidate) => candidate.id));
      for (let at = wall.layout - 1; at >= 0; at -= 1) {
        if (!keep.has(wall.tiles[at]?.id)) { free = at; break; }
      }
    }
    if (free === -1) break;
    wall.tiles[free] = { ...entry, reason: note };
    placed += 1;
  }
  saveWall(user, wall);
  window.dispatchEvent(new CustomEvent(WALL_EVENT));
  return { placed, missed: wanted.length - placed };
}

/**
 * The tiles of a selective wall: pinned tiles stay; a camera still chosen keeps its tile (its
 * video goes on) with the new reason; the other chosen cameras fill the remaining tiles in rank
 * order; what is left is emptied. `picks`: `[{cameraId, label, reasons: [{text}]}]`, best first.
 */
export function selectiveTiles(wall, picks) {
  const tiles = wall.tiles.slice();
  const reasonOf = (pick) => pick.reasons.map((reason) => reason.text).join(' · ').slice(0, 120);
  const pinned = new Set(tiles.slice(0, wall.layout).filter((tile) => tile?.pinned).map((tile) => tile.id));
  const wanted = picks.filter((pick) => !pinned.has(pick.cameraId));
  const placed = new Set();
  for (let index = 0; index < wall.layout; index += 1) {
    const tile = tiles[index];
    if (!tile || tile.pinned) continue;
    const pick = wanted.find((candidate) => candidate.cameraId === tile.id);
    if (pick) {
      tiles[index] = { id: tile.id, label: pick.label || tile.label, reason: reasonOf(pick) };
      placed.add(pick.cameraId);
    } else {
      tiles[index] = null;
    }
  }
  const rest = wanted.filter((pick) => !placed.has(pick.cameraId));
  for (let index = 0; index < wall.layout && rest.length; index += 1) {
    if (tiles[index]) continue;
    const pick = rest.shift();
    tiles[index] = { id: pick.cameraId, label: pick.label || pick.cameraId, reason: reasonOf(pick) };
  }
  return tiles;
}
