// The login view: POST /api/login {username, password} → {user, csrfToken}.

import { api, errorText } from './api.js';
import { bi, h, message } from './dom.js';

/**
 * Builds the login screen. `notice` is an optional line shown above the form (e.g. "session
 * expired"); `onSignedIn` receives `{user, csrfToken}`.
 */
export function renderLogin({ notice, onSignedIn }) {
  const username = h('input', { id: 'username', name: 'username', type: 'text', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'button-primary' }, bi('로그인', 'Sign in'));
  const status = h('p', { hidden: true });

  const form = h('form', { id: 'login-form', class: 'stack', novalidate: true },
    h('label', { for: 'username' }, bi('아이디', 'Username')),
    username,
    h('label', { for: 'password' }, bi('비밀번호', 'Password')),
    password,
    status,
    submit);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!username.value.trim() || !password.value) {
      message(status, 'error', '아이디와 비밀번호를 입력하세요 · Enter username and password');
      return;
    }
    submit.disabled = true;
    message(status, 'info', '확인 중… Signing in…');
    try {
      const session = await api.post('/api/login',
        { username: username.value.trim(), password: password.value },
        { expect401: true });
      password.value = '';
      onSignedIn(session);
    } catch (error) {
      message(status, 'error', errorText(error));
      password.value = '';
      password.focus();
      submit.disabled = false;
    }
  });

  return h('main', { class: 'content centered' },
    h('section', { class: 'card login-card', 'aria-labelledby': 'login-title' },
      h('h1', { id: 'login-title' }, h('span', { lang: 'en' }, 'CityWatch'), ' ', bi('관제 콘솔', 'Control console')),
      notice ? h('p', { class: 'message message-info', role: 'status' }, notice) : null,
      form));
}
