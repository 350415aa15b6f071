// Password change: POST /api/session/password {currentPassword, newPassword} → 204.
// When `forced` (user.mustChangePassword) this is the only thing on screen until it succeeds.

import { api, errorText } from './api.js';
import { bi, h, message } from './dom.js';

export function createPasswordView(context, { forced = false, onChanged = null } = {}) {
  const current = h('input', { id: 'current-password', name: 'currentPassword', type: 'password', autocomplete: 'current-password', required: true });
  const next = h('input', { id: 'new-password', name: 'newPassword', type: 'password', autocomplete: 'new-password', required: true });
  const again = h('input', { id: 'new-password-again', name: 'newPasswordAgain', type: 'password', autocomplete: 'new-password', required: true });
  const submit = h('button', { type: 'submit', class: 'button-primary' }, bi('비밀번호 변경', 'Change password'));
  const status = h('p', { hidden: true });

  // The user name lets password managers file the new password under the right account.
  const username = h('input', { type: 'text', name: 'username', autocomplete: 'username', value: context.user?.username ?? '', hidden: true, readOnly: true });
  const form = h('form', { id: 'password-form', class: 'stack', novalidate: true },
    username,
    h('label', { for: 'current-password' }, bi('현재 비밀번호', 'Current password')),
    current,
    h('label', { for: 'new-password' }, bi('새 비밀번호', 'New password')),
    next,
    h('label', { for: 'new-password-again' }, bi('새 비밀번호 확인', 'New password again')),
    again,
    status,
    submit);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!current.value || !next.value) {
      message(status, 'error', '모든 칸을 입력하세요 · Fill in every field');
      return;
    }
    if (next.value !== again.value) {
      message(status, 'error', '새 비밀번호가 서로 다릅니다 · The new passwords do not match');
      again.focus();
      return;
    }
    if (next.value === current.value) {
      message(status, 'error', '새 비밀번호가 현재 비밀번호와 같습니다 · The new password equals the current one');
      next.focus();
      return;
    }
    submit.disabled = true;
    message(status, 'info', '변경 중… Changing…');
    try {
      await api.post('/api/session/password', { currentPassword: current.value, newPassword: next.value });
      for (const input of [current, next, again]) input.value = '';
      message(status, 'ok', '비밀번호를 변경했습니다 · Password changed');
      if (onChanged) onChanged();
      else await context.refreshSession();
    } catch (error) {
      message(status, 'error', errorText(error));
    } finally {
      submit.disabled = false;
    }
  });

  const el = h('section', { class: forced ? 'card password-card' : 'panel narrow', 'aria-labelledby': 'password-title' },
    h('h1', { id: 'password-title' }, bi('비밀번호 변경', 'Change password')),
    forced
      ? h('p', { class: 'message message-warn', role: 'alert' },
        '비밀번호를 바꿔야 다른 화면을 쓸 수 있습니다. · You must change your password before anything else.')
      : null,
    form);

  return {
    el,
    show() {
      current.focus();
    },
  };
}
