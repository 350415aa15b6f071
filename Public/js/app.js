// Boot and navigation: GET /api/session decides between the login view, the forced password
// change and the main view; views are chosen by the URL hash and offered by role.

import { api, ApiError, errorText, onPasswordChangeRequired, onUnauthorized, setCsrfToken } from './api.js';
import { bi, h, replace } from './dom.js';
import { PurposeBook, roleLabel } from './labels.js';
import { renderLogin } from './login.js';
import { createPasswordView } from './password.js';
import { createMapView } from './map.js';
import { createCamerasView } from './cameras.js';
import { createImportView } from './import.js';
import { createUsersView } from './users.js';
import { createAuditView } from './audit.js';
import { createWallView } from './wall.js';
import { createPlaybackView } from './playback.js';
import { createRetentionView } from './retention.js';
import { createStorageView } from './storage.js';
import { createEventsView } from './events.js';
import { createRulesView } from './rules.js';
import { createSearchView } from './search.js';
import { createAlarmsView } from './alarms.js';
import { createProvisionView } from './provision.js';
import { createNodesView } from './nodes.js';

/**
 * Every view of the main screen; `roles: null` means every signed-in user. `eager` views are
 * made at sign-in (the events view keeps its feed and nav badge going while another view is
 * shown); `inNav: false` views are reached by links only (the rule editor, from a camera).
 */
const VIEWS = [
  { id: 'map', korean: '지도', english: 'Map', roles: null, create: createMapView },
  { id: 'wall', korean: '영상벽', english: 'Wall', roles: ['administrator', 'operator', 'police'], create: createWallView },
  { id: 'playback', korean: '재생', english: 'Playback', roles: ['administrator', 'operator', 'police'], create: createPlaybackView },
  { id: 'search', korean: '검색', english: 'Search', roles: ['administrator', 'operator', 'police'], create: createSearchView },
  { id: 'alarms', korean: '알람·사건', english: 'Alarms & incidents', roles: ['administrator', 'operator', 'police'], create: createAlarmsView, eager: true },
  { id: 'events', korean: '분석 이벤트', english: 'Events', roles: ['administrator', 'operator', 'police'], create: createEventsView, eager: true },
  { id: 'rules', korean: '분석 규칙', english: 'Analytics rules', roles: ['administrator', 'operator', 'privacyOfficer'], create: createRulesView, inNav: false },
  { id: 'cameras', korean: '카메라', english: 'Cameras', roles: null, create: createCamerasView },
  { id: 'import', korean: '가져오기', english: 'Import', roles: ['administrator'], create: createImportView },
  { id: 'users', korean: '사용자·그룹', english: 'Users & groups', roles: ['administrator'], create: createUsersView },
  { id: 'audit', korean: '감사 기록', english: 'Audit', roles: ['administrator', 'privacyOfficer'], create: createAuditView },
  { id: 'provision', korean: '영상 제공', english: 'Provision', roles: ['administrator', 'operator', 'police', 'privacyOfficer'], create: createProvisionView },
  { id: 'retention', korean: '보존', english: 'Retention', roles: ['administrator', 'privacyOfficer'], create: createRetentionView },
  { id: 'nodes', korean: '노드', english: 'Nodes', roles: ['administrator'], create: createNodesView },
  { id: 'storage', korean: '저장소', english: 'Storage', roles: ['maintenance'], create: createStorageView },
  { id: 'password', korean: '비밀번호', english: 'Password', roles: null, create: createPasswordView, secondary: true },
];

const root = document.getElementById('app');

/** What is on screen now and for whom. */
const state = {
  screen: 'boot', // 'boot' | 'login' | 'password' | 'main' | 'offline'
  user: null,
  views: new Map(), // id → { view, instance }
  current: null,
  nav: null, // the #main-nav element
  content: null, // the <main> that holds the views
  context: null, // what the views get (see makeContext)
  whoName: null, // the user name in the top bar
  purposes: null, // Promise<PurposeBook>, once per session
  config: null, // Promise<config>, once per session
};

function allowed(view, user) {
  return !view.roles || view.roles.includes(user?.role);
}

/** What every view gets: the user, the api, and once-per-session lookups. */
function makeContext(user) {
  return {
    user,
    api,
    can: (roles) => roles.includes(user.role),
    getPurposes() {
      if (!state.purposes) {
        state.purposes = api.get('/api/purposes').then((list) => new PurposeBook(list));
        state.purposes.catch(() => { state.purposes = null; });
      }
      return state.purposes;
    },
    getConfig() {
      if (!state.config) {
        state.config = api.get('/api/config');
        state.config.catch(() => { state.config = null; });
      }
      return state.config;
    },
    refreshSession,
    /** Shows `count` (a number, or text such as "500+") beside the view's nav link; 0 hides it. */
    setBadge(viewId, count) {
      const link = state.nav?.querySelector(`a[data-view="${viewId}"]`);
      if (!link) return;
      let badge = link.querySelector('.nav-badge');
      if (!badge) {
        badge = h('span', { class: 'nav-badge', 'aria-live': 'polite' });
        link.appendChild(badge);
      }
      const shown = typeof count === 'string' ? count : (count > 0 ? String(count) : '');
      badge.textContent = shown;
      badge.hidden = shown === '';
      badge.title = shown ? `확인 안 한 알람 ${shown}건 · ${shown} unacknowledged` : '';
    },
  };
}

function teardown() {
  for (const { instance } of state.views.values()) {
    try {
      instance.destroy?.();
    } catch (error) {
      console.error(error);
    }
  }
  state.views.clear();
  state.current = null;
  state.nav = null;
  state.purposes = null;
  state.config = null;
}

function showLogin(notice) {
  teardown();
  state.screen = 'login';
  state.user = null;
  setCsrfToken(null);
  replace(root, renderLogin({ notice, onSignedIn: acceptSession }));
  document.title = 'CityWatch 로그인 · Sign in';
  root.querySelector('#username')?.focus();
}

/** Takes `{user, csrfToken}` from login or GET /api/session and shows the right screen. */
function acceptSession(session) {
  setCsrfToken(session.csrfToken);
  const previous = state.user;
  state.user = session.user;
  if (session.user.mustChangePassword) {
    showForcedPassword();
  } else if (state.screen !== 'main' || previous?.id !== session.user.id || previous?.role !== session.user.role) {
    showMain();
  } else {
    replace(state.whoName, session.user.username);
  }
}

async function refreshSession() {
  const session = await api.get('/api/session');
  acceptSession(session);
  return session;
}

function header(user, nav) {
  const whoName = h('strong', { class: 'who-name' }, user.username);
  state.whoName = whoName;
  return h('header', { class: 'topbar' },
    h('p', { class: 'brand' }, h('span', { lang: 'en' }, 'CityWatch'), ' ', h('span', { class: 'ko', lang: 'ko' }, '관제 콘솔')),
    nav,
    h('div', { class: 'who' },
      whoName, ' ',
      h('span', { class: 'who-role' }, roleLabel(user.role)), ' ',
      h('button', { type: 'button', class: 'button-quiet', id: 'logout', on: { click: logout } }, bi('로그아웃', 'Sign out'))));
}

function showForcedPassword() {
  teardown();
  state.screen = 'password';
  const context = makeContext(state.user);
  const view = createPasswordView(context, {
    forced: true,
    onChanged: () => refreshSession().catch((error) => showLogin(errorText(error))),
  });
  replace(root, header(state.user, null), h('main', { class: 'content forced' }, view.el));
  view.show();
  document.title = 'CityWatch 비밀번호 변경 · Change password';
}

function showMain() {
  teardown();
  state.screen = 'main';
  const user = state.user;
  const context = makeContext(user);
  const links = VIEWS.filter((view) => view.inNav !== false && allowed(view, user)).map((view) =>
    h('li', { class: view.secondary ? 'secondary' : null },
      h('a', { href: `#${view.id}`, dataset: { view: view.id }, title: view.english }, bi(view.korean, view.english))));
  const nav = h('nav', { id: 'main-nav', class: links.length > 6 ? 'nav-crowded' : null, 'aria-label': '화면 Views' }, h('ul', null, links));
  const content = h('main', { class: 'content', id: 'content' });
  state.nav = nav;
  state.context = context;
  state.content = content;
  replace(root, header(user, nav), content);
  for (const view of VIEWS) {
    if (view.eager && allowed(view, user)) viewEntry(view).instance.el.hidden = true;
  }
  route();
}

/** The view's instance, made (and put in the page) on first use. */
function viewEntry(view) {
  let entry = state.views.get(view.id);
  if (!entry) {
    const instance = view.create(state.context);
    instance.el.classList.add('view');
    instance.el.id = `view-${view.id}`;
    state.content.appendChild(instance.el);
    entry = { view, instance };
    state.views.set(view.id, entry);
  }
  return entry;
}

function viewFromHash() {
  const id = decodeURIComponent(location.hash.replace(/^#\/?/, '')).split(/[/?]/)[0];
  return VIEWS.find((view) => view.id === id) || null;
}

function route() {
  if (state.screen !== 'main') return;
  let view = viewFromHash();
  if (!view || !allowed(view, state.user)) {
    view = VIEWS.find((candidate) => allowed(candidate, state.user));
    history.replaceState(null, '', `#${view.id}`);
  }
  if (state.current === view.id) return;
  if (state.current) {
    const current = state.views.get(state.current);
    current.instance.hide?.();
    current.instance.el.hidden = true;
  }
  const entry = viewEntry(view);
  entry.instance.el.hidden = false;
  state.current = view.id;
  for (const link of state.nav.querySelectorAll('a[data-view]')) {
    if (link.dataset.view === view.id) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `CityWatch ${view.korean} · ${view.english}`;
  entry.instance.show?.();
}

async function logout() {
  try {
    await api.post('/api/logout', undefined);
  } catch (error) {
    // The session may already be gone; the login view is the right place either way.
    if (!(error instanceof ApiError)) console.error(error);
  }
  showLogin('로그아웃했습니다 · Signed out');
}

function showOffline(reason) {
  teardown();
  state.screen = 'offline';
  replace(root, h('main', { class: 'content centered' },
    h('section', { class: 'card' },
      h('h1', null, bi('서버 연결 실패', 'Server unavailable')),
      h('p', { class: 'message message-error', role: 'alert' }, reason),
      h('button', { type: 'button', on: { click: boot } }, bi('다시 시도', 'Try again')))));
}

async function boot() {
  try {
    acceptSession(await api.get('/api/session', { expect401: true }));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) showLogin();
    else showOffline(errorText(error));
  }
}

onUnauthorized(() => {
  if (state.screen !== 'login') showLogin('세션이 만료되었습니다. 다시 로그인하세요 · Session expired, please sign in again');
});
onPasswordChangeRequired(() => {
  if (state.screen !== 'password' && state.user) {
    state.user = { ...state.user, mustChangePassword: true };
    showForcedPassword();
  }
});
window.addEventListener('hashchange', route);

boot();
