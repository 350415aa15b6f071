// The live video wall (administrator, operator, police): a grid of 1, 4, 9, 16 or 25 tiles, each
// playing one camera's live video (liveplayer.js) with its health (GET /api/cameras/:id/health,
// every 10 s). Cameras come from the searchable list beside the wall (drag onto a tile, or the
// button for the first empty tile) or from the map's "Add to wall". A click on a tile toggles
// full screen. Layout and tiles persist per user (wallstore.js).
//
// Viewers never linger: a tile that is closed or hidden by a smaller layout closes its socket,
// and so does leaving the view or hiding the browser tab.
//
// Test hooks: #wall[data-layout="4"]; .wall-tile[data-camera="ID"][data-state] holding a
// <video>, data-state "connecting" | "playing" | "error"; empty tiles are .wall-tile-empty.

import { ApiError, errorText } from './api.js';
import { bi, formatTime, h, message, replace, text } from './dom.js';
import { healthBadge } from './labels.js';
import { cameraDetail, cameraFromDrag, cameraLabel, createCameraPicker, CAMERA_DRAG_TYPE } from './camerapicker.js';
import { LivePlayer } from './liveplayer.js';
import { LAYOUTS, loadWall, MAX_TILES, saveWall, selectiveTiles, WALL_EVENT } from './wallstore.js';

const TILE_DRAG_TYPE = 'application/x-citywatch-tile';
const HEALTH_EVERY_MS = 10_000;

export function createWallView(context) {
  let wall = loadWall(context.user);
  /** index → tile controller for the tiles on screen */
  let tiles = [];
  let active = false;
  let healthTimer = null;
  const cameraCache = new Map(); // id → Camera (for labels)

  const layoutPicker = h('fieldset', { id: 'wall-layout', class: 'segmented' },
    h('legend', { class: 'visually-hidden' }, '화면 분할 Layout'),
    LAYOUTS.map((count) => {
      const side = Math.sqrt(count);
      return h('label', { title: `${count} 칸 tiles` },
        h('input', { type: 'radio', name: 'layout', value: String(count), checked: count === wall.layout }),
        h('span', null, `${side}×${side}`));
    }));
  const clearButton = h('button', { type: 'button', class: 'button-quiet' }, bi('모두 닫기', 'Close all'));
  // Selective monitoring: the wall fills itself with the cameras that need eyes now.
  const selectiveBox = h('input', { type: 'checkbox', id: 'wall-selective', checked: wall.selective === true });
  const selectiveLabel = h('label', { class: 'check', title: '사건·알람·이벤트·이상 움직임·등하교 시간 카메라로 자동 채움 (고정한 칸은 그대로) · Fills itself with the cameras of incidents, alarms, events, unusual motion and school hours; pinned tiles stay' },
    selectiveBox, ' ', bi('선별 관제', 'Selective'));
  let selectiveTimer = null;
  const notice = h('p', { hidden: true });
  const grid = h('div', { id: 'wall', class: 'wall-grid', dataset: { layout: String(wall.layout) } });
  const picker = createCameraPicker(context, {
    id: 'wall-cameras',
    draggable: true,
    pickLabel: ['추가', 'Add'],
    onPick: (camera) => placeInFirstEmpty({ id: String(camera.id), label: cameraLabel(camera) }, camera),
  });
  const el = h('section', { class: 'view-wall', 'aria-label': '영상벽 Video wall' },
    h('div', { class: 'wall-main' },
      h('div', { class: 'toolbar wall-toolbar' },
        h('h1', null, bi('영상벽', 'Video wall')),
        layoutPicker,
        clearButton,
        selectiveLabel,
        h('span', { class: 'spacer' }),
        h('span', { class: 'hint' }, bi('칸을 누르면 전체 화면 (Esc로 복귀)', 'Click a tile for full screen (Esc returns)'))),
      notice,
      grid),
    h('aside', { class: 'wall-side' },
      h('h2', null, bi('카메라', 'Cameras')),
      h('p', { class: 'hint' }, bi('칸으로 끌어 놓거나 추가를 누르세요', 'Drag onto a tile, or press Add')),
      picker.el));

  function save() {
    saveWall(context.user, wall);
  }

  /** Brings the tiles on screen in line with `wall`, keeping tiles whose camera is unchanged. */
  function sync() {
    grid.dataset.layout = String(wall.layout);
    for (let index = 0; index < Math.max(wall.layout, tiles.length); index += 1) {
      const wanted = index < wall.layout ? wall.tiles[index] : undefined;
      const current = tiles[index];
      if (wanted === undefined) {
        current?.destroy();
        current?.el.remove();
        continue;
      }
      if (current && current.cameraId === (wanted?.id ?? null)) {
        current.setReason?.(wanted?.reason ?? '');
        continue;
      }
      const next = wanted ? cameraTile(index, wanted) : emptyTile(index);
      if (current) {
        current.destroy();
        current.el.replaceWith(next.el);
      } else {
        grid.appendChild(next.el);
      }
      tiles[index] = next;
      if (active) {
        next.start();
        refreshRetaskings();
      }
    }
    tiles.length = wall.layout;
  }

  function setLayout(count) {
    wall.layout = count;
    save();
    sync();
    if (wall.selective) refreshSelective();
  }

  function assign(index, camera) {
    const from = wall.tiles.findIndex((tile) => tile?.id === camera.id);
    if (from === index) return;
    if (from !== -1) wall.tiles[from] = wall.tiles[index]; // the camera moves; the tile's camera takes its place
    wall.tiles[index] = { id: camera.id, label: camera.label };
    save();
    sync();
  }

  function placeInFirstEmpty(entry, camera) {
    if (camera) cameraCache.set(entry.id, camera);
    const existing = wall.tiles.slice(0, wall.layout).findIndex((tile) => tile?.id === entry.id);
    if (existing !== -1) {
      message(notice, 'info', `이미 ${existing + 1}번 칸에 있습니다 · Already in tile ${existing + 1}`);
      tiles[existing]?.el.focus();
      return;
    }
    const free = wall.tiles.slice(0, wall.layout).findIndex((tile) => !tile);
    if (free === -1) {
      message(notice, 'warn', '빈 칸이 없습니다. 칸을 닫거나 더 큰 분할을 고르세요 · No empty tile: close one or pick a larger layout');
      return;
    }
    message(notice, 'info', '');
    assign(free, entry);
  }

  function closeTile(index) {
    wall.tiles[index] = null;
    save();
    sync();
  }

  function swap(from, to) {
    if (from === to || from < 0 || to < 0) return;
    [wall.tiles[from], wall.tiles[to]] = [wall.tiles[to], wall.tiles[from]];
    save();
    sync();
  }

  function acceptDrops(tileEl, index) {
    tileEl.addEventListener('dragover', (event) => {
      const types = [...event.dataTransfer.types];
      if (!types.includes(CAMERA_DRAG_TYPE) && !types.includes(TILE_DRAG_TYPE)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = types.includes(TILE_DRAG_TYPE) ? 'move' : 'copy';
      tileEl.classList.add('drop-target');
    });
    tileEl.addEventListener('dragleave', () => tileEl.classList.remove('drop-target'));
    tileEl.addEventListener('drop', (event) => {
      tileEl.classList.remove('drop-target');
      const fromTile = event.dataTransfer.getData(TILE_DRAG_TYPE);
      const camera = cameraFromDrag(event);
      if (!fromTile && !camera) return;
      event.preventDefault();
      if (fromTile !== '') swap(Number(fromTile), index);
      else assign(index, camera);
    });
  }

  function emptyTile(index) {
    const tileEl = h('div', { class: 'wall-tile wall-tile-empty', dataset: { index: String(index) } },
      h('span', { class: 'tile-number' }, String(index + 1)),
      h('span', { class: 'tile-drop-hint' }, bi('카메라를 여기에 놓기', 'Drop a camera here')));
    acceptDrops(tileEl, index);
    return { el: tileEl, cameraId: null, start() {}, stop() {}, destroy() {}, refreshHealth() {}, showRetasking() {} };
  }

  function cameraTile(index, entry) {
    const video = h('video', { muted: true, autoplay: true, playsinline: true, disablepictureinpicture: true, 'aria-label': entry.label });
    const title = h('span', { class: 'tile-title' }, `${index + 1}. `, text(entry.label));
    // Why the camera is on the wall (an alarm, a cast-net), when something put it there.
    const reason = h('span', { class: 'badge tile-reason', hidden: !entry.reason, title: entry.reason || '' }, entry.reason || '');
    const healthSlot = h('span', { class: 'tile-health' });
    const maskedBadge = h('span', { class: 'badge tile-masked', hidden: true, title: '사생활 보호 영역이 가려진 영상 · Privacy masks blacked out for your role' }, '가림 masked');
    const retaskBadge = h('span', { class: 'badge badge-retasked tile-retask', hidden: true });
    const status = h('p', { class: 'tile-message', role: 'status' });
    const close = h('button', { type: 'button', class: 'tile-close button-small', title: '닫기 Close', 'aria-label': `닫기 Close tile ${index + 1}` }, '×');
    const pin = h('button', {
      type: 'button', class: 'tile-pin button-small', 'aria-pressed': String(entry.pinned === true),
      title: '고정: 선별 관제가 바꾸지 않음 · Pin: selective monitoring leaves it', 'aria-label': `고정 Pin tile ${index + 1}`,
    }, '고정');
    pin.addEventListener('click', (event) => {
      event.stopPropagation();
      const tile = wall.tiles[index];
      if (!tile || tile.id !== entry.id) return;
      wall.tiles[index] = { ...tile, pinned: !tile.pinned };
      if (!wall.tiles[index].pinned) delete wall.tiles[index].pinned;
      pin.setAttribute('aria-pressed', String(wall.tiles[index].pinned === true));
      save();
    });
    const playback = h('a', { class: 'tile-link', href: `#playback?camera=${encodeURIComponent(entry.id)}`, title: '녹화 재생 Playback' }, '재생');
    const tileEl = h('div', {
      class: 'wall-tile', tabindex: '0', draggable: 'true',
      dataset: { camera: entry.id, index: String(index), state: 'connecting' },
    },
    video,
    h('div', { class: 'tile-bar' }, title, reason, healthSlot, maskedBadge, retaskBadge, h('span', { class: 'spacer' }), pin, playback, close),
    status);

    let camera = cameraCache.get(entry.id) || null;
    let lastHealth = null;
    let gone = null; // set when the camera answers 404
    const player = new LivePlayer(video, entry.id, {
      onState(state, detail) {
        tileEl.dataset.state = state;
        // When the picture first played (the alarm→wall time is measured from it).
        if (state === 'playing' && !tileEl.dataset.playingAt) tileEl.dataset.playingAt = String(Date.now());
        status.textContent = state === 'playing' ? '' : detail;
        status.hidden = state === 'playing';
      },
      onMasked(masked) { maskedBadge.hidden = !masked; },
      diagnose,
    });

    function showCamera(value) {
      camera = value;
      cameraCache.set(entry.id, value);
      const label = cameraLabel(value);
      replace(title, `${index + 1}. `, label);
      title.title = [label, cameraDetail(value)].filter(Boolean).join(' · ');
      video.setAttribute('aria-label', label);
      if (wall.tiles[index]?.id === entry.id && wall.tiles[index].label !== label) {
        wall.tiles[index] = { id: entry.id, label };
        save();
      }
    }

    async function refreshHealth() {
      if (gone) return;
      try {
        const health = await context.api.get(`/api/cameras/${encodeURIComponent(entry.id)}/health`);
        lastHealth = health;
        const since = health?.since ? ` · ${formatTime(health.since)}부터 since` : '';
        const reason = [health?.reason, health?.recording === false ? '녹화 안 함 · not recorded' : null].filter(Boolean).join(' — ');
        replace(healthSlot, healthBadge(health?.health, `${reason}${since}`.replace(/^ · /, '')));
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) gone = errorText(error);
        replace(healthSlot, h('span', { class: 'badge badge-muted', title: errorText(error) }, '?'));
      }
    }

    /** Why the live socket failed: the handshake's status is invisible, so ask the API. */
    async function diagnose() {
      try {
        const health = await context.api.get(`/api/cameras/${encodeURIComponent(entry.id)}/health`);
        lastHealth = health;
        replace(healthSlot, healthBadge(health?.health, health?.reason));
        if (health?.recording === false) {
          return { text: '이 서버에서 녹화하지 않는 카메라라 실시간 영상이 없습니다 · Not being recorded here, so no live video', delayMs: 30_000 };
        }
        if (health?.health && health.health !== 'online') {
          return { text: `카메라 상태 ${health.health} · Camera is ${health.health}${health.reason ? `: ${health.reason}` : ''}` };
        }
        return { text: '실시간 연결이 끊겼습니다 · Live connection lost' };
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) {
          gone = errorText(error);
          return { text: `카메라를 찾을 수 없거나 볼 수 없습니다 · Camera not found or not visible to you (${gone})`, delayMs: 60_000 };
        }
        if (error instanceof ApiError && error.status === 403) {
          return { text: `권한 없음 · Not allowed: ${errorText(error)}`, delayMs: 60_000 };
        }
        return { text: `서버에 연결할 수 없습니다 · Cannot reach the server (${errorText(error)})` };
      }
    }

    close.addEventListener('click', (event) => {
      event.stopPropagation();
      closeTile(index);
    });
    playback.addEventListener('click', (event) => event.stopPropagation());
    tileEl.addEventListener('click', () => toggleFullscreen(tileEl));
    tileEl.addEventListener('keydown', (event) => {
      if (event.target !== tileEl) return;
      if (event.key === 'Enter') toggleFullscreen(tileEl);
      else if (event.key === 'Delete') closeTile(index);
    });
    tileEl.addEventListener('dragstart', (event) => {
      event.dataTransfer.setData(TILE_DRAG_TYPE, String(index));
      event.dataTransfer.effectAllowed = 'move';
    });
    acceptDrops(tileEl, index);

    if (camera) showCamera(camera);
    else {
      context.api.get(`/api/cameras/${encodeURIComponent(entry.id)}`)
        .then(showCamera)
        .catch((error) => {
          if (error instanceof ApiError && error.status === 404) gone = errorText(error);
        });
    }

    return {
      el: tileEl,
      cameraId: entry.id,
      setReason(value) {
        reason.textContent = value;
        reason.title = value;
        reason.hidden = !value;
      },
      start() {
        player.start();
        refreshHealth();
      },
      stop() {
        player.stop();
        tileEl.dataset.state = 'connecting';
        status.hidden = true;
      },
      destroy() {
        if (document.fullscreenElement === tileEl) document.exitFullscreen().catch(() => {});
        player.stop();
      },
      refreshHealth,
      /** Shows whether the camera is on crime watch now (a `Retasking` from GET /api/retaskings, or undefined). */
      showRetasking(retasking) {
        retaskBadge.hidden = !retasking;
        tileEl.dataset.placement = retasking ? 'crimeWatch' : 'registry';
        if (retasking) {
          retaskBadge.textContent = `방범 ~${retasking.untilText}`;
          retaskBadge.title = `방범 전환 · crime watch until ${retasking.untilText}: ${retasking.reason}`;
        }
      },
      get health() {
        return lastHealth;
      },
    };
  }

  function toggleFullscreen(tileEl) {
    if (document.fullscreenElement === tileEl) {
      document.exitFullscreen().catch(() => {});
    } else if (tileEl.requestFullscreen) {
      tileEl.requestFullscreen().catch((error) => message(notice, 'error', `전체 화면을 열 수 없습니다 · Full screen refused (${error?.message || error})`));
    }
  }

  /** Asks the server which cameras need eyes now and lays them out (every 15 s while shown). */
  async function refreshSelective() {
    if (!wall.selective) return;
    try {
      const picks = await context.api.get(`/api/wall/selective?limit=${wall.layout}`);
      if (!wall.selective) return;
      wall.tiles = selectiveTiles(wall, picks);
      save();
      sync();
      message(notice, 'info', picks.length ? '' : '지금 볼 카메라가 없습니다 · Nothing needs eyes now');
    } catch (error) {
      message(notice, 'error', errorText(error));
    }
  }

  function scheduleSelective() {
    clearInterval(selectiveTimer);
    selectiveTimer = null;
    if (!wall.selective || !shown) return;
    refreshSelective();
    selectiveTimer = setInterval(refreshSelective, 15_000);
  }

  function startAll() {
    if (active) return;
    active = true;
    for (const tile of tiles) tile.start();
    clearInterval(healthTimer);
    refreshRetaskings();
    healthTimer = setInterval(() => {
      for (const tile of tiles) tile.refreshHealth();
      refreshRetaskings();
    }, HEALTH_EVERY_MS);
  }

  /** Marks the tiles of cameras on crime watch (re-tasked parking cameras) with their end time. */
  async function refreshRetaskings() {
    try {
      const { active: retasked } = await context.api.get('/api/retaskings');
      const byCamera = new Map((retasked || []).map((item) => [String(item.cameraId).toLowerCase(), item]));
      for (const tile of tiles) tile.showRetasking(tile.cameraId ? byCamera.get(String(tile.cameraId).toLowerCase()) : undefined);
    } catch {
      // The badges stay as they were; the next round tries again.
    }
  }

  function stopAll() {
    active = false;
    clearInterval(healthTimer);
    healthTimer = null;
    for (const tile of tiles) tile.stop();
  }

  let shown = false;
  function onVisibility() {
    if (!shown) return;
    if (document.hidden) stopAll();
    else startAll();
  }

  function onWallChanged() {
    // The map (or another tab) added a camera: take the stored wall as it is now.
    wall = loadWall(context.user);
    for (const input of layoutPicker.querySelectorAll('input[name="layout"]')) input.checked = Number(input.value) === wall.layout;
    selectiveBox.checked = wall.selective === true;
    sync();
  }

  function onStorage(event) {
    if (event.key && event.key.startsWith('citywatch.wall.')) onWallChanged();
  }

  layoutPicker.addEventListener('change', (event) => {
    const count = Number(event.target.value);
    if (LAYOUTS.includes(count)) setLayout(count);
  });
  selectiveBox.addEventListener('change', () => {
    wall.selective = selectiveBox.checked;
    save();
    scheduleSelective();
  });
  clearButton.addEventListener('click', () => {
    wall.tiles = new Array(MAX_TILES).fill(null);
    save();
    sync();
  });
  window.addEventListener(WALL_EVENT, onWallChanged);
  window.addEventListener('storage', onStorage);
  document.addEventListener('visibilitychange', onVisibility);
  window.addEventListener('pagehide', stopAll);

  sync();
  let pickerLoaded = false;

  return {
    el,
    show() {
      shown = true;
      if (!pickerLoaded) {
        pickerLoaded = true;
        picker.load();
      }
      if (!document.hidden) startAll();
      scheduleSelective();
    },
    hide() {
      shown = false;
      clearInterval(selectiveTimer);
      if (document.fullscreenElement && el.contains(document.fullscreenElement)) document.exitFullscreen().catch(() => {});
      stopAll();
    },
    destroy() {
      shown = false;
      clearInterval(selectiveTimer);
      stopAll();
      for (const tile of tiles) tile.destroy();
      picker.destroy();
      window.removeEventListener(WALL_EVENT, onWallChanged);
      window.removeEventListener('storage', onStorage);
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', stopAll);
    },
  };
}
