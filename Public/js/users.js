// Users and camera groups (administrator): who may sign in, with which role, and which
// cameras each user sees (through camera groups).

import { errorText } from './api.js';
import { bi, formatInteger, formatTime, h, message, replace, text } from './dom.js';
import { ROLES, roleLabel } from './labels.js';
import { createCameraChooser } from './camerachooser.js';

export function createUsersView(context) {
  const { api } = context;
  let users = [];
  let groups = [];
  let purposes = null;

  // ---- shown-once password box -------------------------------------------------------------
  const secretBox = h('div', { id: 'generated-password', class: 'secret-box', hidden: true, role: 'alert' });

  function showSecret(username, password, korean, english) {
    const value = h('code', { class: 'secret-value' }, password);
    const copy = h('button', { type: 'button', class: 'button-small' }, bi('복사', 'Copy'));
    copy.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(password);
        replace(copy, bi('복사됨', 'Copied'));
      } catch {
        const range = document.createRange();
        range.selectNodeContents(value);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
      }
    });
    const done = h('button', { type: 'button', class: 'button-small' }, bi('확인했습니다 (닫기)', 'Noted (close)'));
    done.addEventListener('click', () => {
      replace(secretBox);
      secretBox.hidden = true;
    });
    replace(secretBox,
      h('p', { class: 'secret-title' }, `⚠ ${korean} · ${english}`),
      h('p', null, bi('지금 한 번만 표시됩니다. 안전하게 전달하세요. 첫 로그인 때 바꿔야 합니다.',
        'Shown only this once. Hand it over safely; it must be changed at first sign-in.')),
      h('p', { class: 'secret-line' }, bi('사용자', 'User'), ': ', h('strong', null, username)),
      h('p', { class: 'secret-line' }, bi('비밀번호', 'Password'), ': ', value, ' ', copy),
      done);
    secretBox.hidden = false;
    secretBox.scrollIntoView({ block: 'nearest' });
  }

  // ---- users -------------------------------------------------------------------------------
  const usersProblem = h('p', { hidden: true });
  const usersBody = h('tbody');
  const newName = h('input', { id: 'new-user-name', name: 'username', type: 'text', required: true, autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' });
  const newRole = roleSelect('operator');
  newRole.id = 'new-user-role';
  const addUserStatus = h('p', { hidden: true });
  const addUserForm = h('form', { id: 'add-user-form', class: 'inline-form', novalidate: true },
    h('label', { for: 'new-user-name' }, bi('아이디', 'Username')), newName,
    h('label', { for: 'new-user-role' }, bi('역할', 'Role')), newRole,
    h('button', { type: 'submit', class: 'button-primary' }, bi('사용자 추가', 'Add user')),
    addUserStatus);

  function roleSelect(selected) {
    return h('select', { name: 'role' },
      ROLES.map((role) => h('option', { value: role, selected: role === selected }, roleLabel(role))));
  }

  function groupNames(ids) {
    if (!ids?.length) return '—';
    return ids.map((id) => groups.find((group) => group.id === id)?.name ?? `#${id}`).join(', ');
  }

  function renderUsers() {
    replace(usersBody, users.length
      ? users.map(userRow)
      : h('tr', null, h('td', { colspan: '7', class: 'empty' }, '—')));
  }

  function replaceUser(updated) {
    users = users.map((user) => (user.id === updated.id ? { ...user, ...updated } : user));
    renderUsers();
  }

  function userRow(user) {
    const role = roleSelect(user.role);
    role.setAttribute('aria-label', `${user.username} 역할 role`);
    const rowProblem = h('span', { class: 'message message-error', hidden: true });
    const fail = (error) => {
      rowProblem.textContent = errorText(error);
      rowProblem.hidden = false;
    };
    role.addEventListener('change', async () => {
      role.disabled = true;
      try {
        replaceUser(await api.patch(`/api/users/${encodeURIComponent(user.id)}`, { role: role.value }));
      } catch (error) {
        role.value = user.role;
        role.disabled = false;
        fail(error);
      }
    });

    const toggle = h('button', { type: 'button', class: 'button-small' },
      user.disabled ? bi('사용 재개', 'Enable') : bi('사용 중지', 'Disable'));
    toggle.addEventListener('click', async () => {
      toggle.disabled = true;
      try {
        replaceUser(await api.patch(`/api/users/${encodeURIComponent(user.id)}`, { disabled: !user.disabled }));
      } catch (error) {
        toggle.disabled = false;
        fail(error);
      }
    });

    const reset = h('button', { type: 'button', class: 'button-small' }, bi('비밀번호 재설정', 'Reset password'));
    reset.addEventListener('click', async () => {
      reset.disabled = true;
      try {
        const answer = await api.post(`/api/users/${encodeURIComponent(user.id)}/password`, undefined);
        if (answer?.user) replaceUser(answer.user);
        else reset.disabled = false;
        showSecret(answer?.user?.username ?? user.username, answer?.password ?? '',
          '재설정된 비밀번호', 'New password after reset');
      } catch (error) {
        reset.disabled = false;
        fail(error);
      }
    });

    const editGroups = h('button', { type: 'button', class: 'button-small', 'aria-expanded': 'false' }, bi('그룹 편집', 'Edit groups'));
    const tr = h('tr', { class: user.disabled ? 'row-disabled' : null },
      h('td', null, h('strong', null, user.username)),
      h('td', null, role),
      h('td', null, groupNames(user.groupIds)),
      h('td', null, user.disabled ? h('span', { class: 'flag-off' }, bi('중지', 'Disabled')) : h('span', { class: 'flag-on' }, bi('사용', 'Active'))),
      h('td', null, user.mustChangePassword ? h('span', { class: 'flag-warn' }, bi('변경 필요', 'Must change')) : '—'),
      h('td', null, formatTime(user.createdAt)),
      h('td', { class: 'actions' }, toggle, reset, editGroups, rowProblem));

    editGroups.addEventListener('click', () => {
      const open = tr.nextElementSibling?.classList.contains('group-editor');
      if (open) {
        tr.nextElementSibling.remove();
        editGroups.setAttribute('aria-expanded', 'false');
      } else {
        tr.after(groupEditor(user, () => editGroups.setAttribute('aria-expanded', 'false')));
        editGroups.setAttribute('aria-expanded', 'true');
      }
    });
    return tr;
  }

  function groupEditor(user, onClose) {
    const boxes = groups.map((group) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', name: 'groupId', value: String(group.id), checked: (user.groupIds || []).includes(group.id) }),
      ' ', group.name, ' ', h('span', { class: 'muted' }, `(${formatInteger(group.cameraCount)})`)));
    const status = h('span', { hidden: true });
    const save = h('button', { type: 'submit', class: 'button-small button-primary' }, bi('저장', 'Save'));
    const cancel = h('button', { type: 'button', class: 'button-small' }, bi('취소', 'Cancel'));
    const form = h('form', { class: 'group-editor-form' },
      h('span', { class: 'muted' }, bi(`${user.username}의 카메라 그룹`, `camera groups of ${user.username}`), ': '),
      boxes.length ? boxes : h('span', { class: 'muted' }, bi('그룹이 없습니다', 'No groups yet')),
      save, cancel, status);
    const row = h('tr', { class: 'group-editor' }, h('td', { colspan: '7' }, form));
    cancel.addEventListener('click', () => {
      row.remove();
      onClose();
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const chosen = new Set([...form.querySelectorAll('input[name="groupId"]:checked')].map((input) => input.value));
      const groupIds = groups.filter((group) => chosen.has(String(group.id))).map((group) => group.id);
      save.disabled = true;
      try {
        replaceUser(await api.put(`/api/users/${encodeURIComponent(user.id)}/groups`, { groupIds }));
      } catch (error) {
        message(status, 'error', errorText(error));
        save.disabled = false;
      }
    });
    return row;
  }

  addUserForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const username = newName.value.trim();
    if (!username) {
      message(addUserStatus, 'error', '아이디를 입력하세요 · Enter a username');
      return;
    }
    try {
      const answer = await api.post('/api/users', { username, role: newRole.value });
      message(addUserStatus, 'ok', `${username} 추가됨 · added`);
      newName.value = '';
      if (answer?.user) {
        users = users.concat(answer.user);
        renderUsers();
      }
      showSecret(answer?.user?.username ?? username, answer?.password ?? '', '새 사용자의 비밀번호', 'Password of the new user');
    } catch (error) {
      message(addUserStatus, 'error', errorText(error));
    }
  });

  // ---- camera groups -----------------------------------------------------------------------
  const groupsProblem = h('p', { hidden: true });
  const groupsBody = h('tbody');
  const groupName = h('input', { id: 'group-name', name: 'name', type: 'text', required: true, autocomplete: 'off' });
  const groupDescription = h('input', { id: 'group-description', name: 'description', type: 'text', autocomplete: 'off' });
  const groupPurposes = h('select', { id: 'group-purposes', name: 'purposes', multiple: true, size: '6' });
  const bboxInput = (id, korean, english) => [
    h('label', { for: id }, bi(korean, english)),
    h('input', { id, name: id, type: 'number', step: 'any', inputmode: 'decimal' }),
  ];
  const bboxFields = h('fieldset', { class: 'bbox' },
    h('legend', null, bi('영역 (선택)', 'Bounding box (optional)')),
    bboxInput('bbox-south', '남', 'South'), bboxInput('bbox-west', '서', 'West'),
    bboxInput('bbox-north', '북', 'North'), bboxInput('bbox-east', '동', 'East'));
  // Hand-picked cameras: searched and ticked, never typed (camera ids are UUIDs).
  const groupCameras = createCameraChooser(context, { id: 'group-cameras' });
  const addGroupStatus = h('p', { hidden: true });
  const addGroupForm = h('form', { id: 'add-group-form', class: 'group-form', novalidate: true },
    h('div', { class: 'stack' },
      h('label', { for: 'group-name' }, bi('이름', 'Name')), groupName,
      h('label', { for: 'group-description' }, bi('설명', 'Description')), groupDescription),
    h('div', { class: 'stack group-cameras' },
      h('label', { for: 'group-cameras-search' }, bi('카메라 (찾아서 체크, 선택)', 'Cameras (search and tick, optional)')),
      groupCameras.picker.el, groupCameras.chosenList),
    h('div', { class: 'stack' },
      h('label', { for: 'group-purposes' }, bi('용도 (여러 개 선택 가능, 선택)', 'Purposes (multi-select, optional)')), groupPurposes),
    bboxFields,
    h('p', { class: 'hint' }, bi('카메라는 주어진 조건을 모두 만족하면 그룹에 속합니다.',
      'A camera belongs to the group when it matches every part of the rule that is given.')),
    addGroupStatus,
    h('div', { class: 'button-row' }, h('button', { type: 'submit', class: 'button-primary' }, bi('그룹 추가', 'Add group'))));

  function ruleSummary(rule = {}) {
    const parts = [];
    if (rule.purposes?.length) {
      parts.push(`용도 purposes: ${rule.purposes.map((code) => (purposes ? purposes.korean(code) : code)).join(', ')}`);
    }
    if (rule.bbox) {
      const { south, west, north, east } = rule.bbox;
      parts.push(`영역 bbox: S ${south}, W ${west}, N ${north}, E ${east}`);
    }
    if (rule.cameraIds?.length) parts.push(`고른 카메라 ${rule.cameraIds.length}대 · ${rule.cameraIds.length} picked cameras`);
    return parts.length ? parts.join(' · ') : '—';
  }

  function renderGroups() {
    replace(groupsBody, groups.length
      ? groups.map((group) => {
        const remove = h('button', { type: 'button', class: 'button-small button-danger' }, bi('삭제', 'Delete'));
        const rowProblem = h('span', { class: 'message message-error', hidden: true });
        remove.addEventListener('click', async () => {
          remove.disabled = true;
          try {
            await api.del(`/api/groups/${encodeURIComponent(group.id)}`);
            groups = groups.filter((candidate) => candidate.id !== group.id);
            users = users.map((user) => ({ ...user, groupIds: (user.groupIds || []).filter((id) => id !== group.id) }));
            renderGroups();
            renderUsers();
          } catch (error) {
            remove.disabled = false;
            rowProblem.textContent = errorText(error);
            rowProblem.hidden = false;
          }
        });
        return h('tr', null,
          h('td', null, h('strong', null, group.name)),
          h('td', null, text(group.description)),
          h('td', null, ruleSummary(group.rule)),
          h('td', { class: 'number' }, formatInteger(group.cameraCount)),
          h('td', { class: 'actions' }, remove, rowProblem));
      })
      : h('tr', null, h('td', { colspan: '5', class: 'empty' }, bi('그룹이 없습니다', 'No groups yet'))));
  }

  /** The rule from the form, or throws with a message naming the bad field. */
  function ruleFromForm() {
    const rule = {};
    const chosen = [...groupPurposes.selectedOptions].map((option) => option.value);
    if (chosen.length) rule.purposes = chosen;
    const sides = ['south', 'west', 'north', 'east'].map((side) => bboxFields.querySelector(`#bbox-${side}`).value.trim());
    if (sides.some((value) => value !== '')) {
      if (sides.some((value) => value === '')) throw new Error('영역은 남·서·북·동 네 값이 모두 필요합니다 · The bounding box needs all of south, west, north and east');
      const [south, west, north, east] = sides.map(Number);
      if (![south, west, north, east].every(Number.isFinite)) throw new Error('영역 값은 숫자여야 합니다 · Bounding box values must be numbers');
      if (south > north) throw new Error('남쪽이 북쪽보다 큽니다 · south is greater than north');
      if (west > east) throw new Error('서쪽이 동쪽보다 큽니다 · west is greater than east');
      rule.bbox = { south, west, north, east };
    }
    if (groupCameras.chosen.size) rule.cameraIds = [...groupCameras.chosen.keys()];
    return rule;
  }

  addGroupForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = groupName.value.trim();
    if (!name) {
      message(addGroupStatus, 'error', '이름을 입력하세요 · Enter a name');
      return;
    }
    let rule;
    try {
      rule = ruleFromForm();
    } catch (error) {
      message(addGroupStatus, 'error', error.message);
      return;
    }
    const body = { name, rule };
    const description = groupDescription.value.trim();
    if (description) body.description = description;
    try {
      const group = await api.post('/api/groups', body);
      groups = groups.concat(group);
      renderGroups();
      renderUsers();
      addGroupForm.reset();
      groupCameras.clear();
      groupCameras.picker.load(); // the search box was emptied too
      message(addGroupStatus, 'ok', `${name} 추가됨 · added (${formatInteger(group?.cameraCount)} 카메라 cameras)`);
    } catch (error) {
      message(addGroupStatus, 'error', errorText(error));
    }
  });

  // ---- layout and loading ------------------------------------------------------------------
  const el = h('section', { class: 'panel', 'aria-labelledby': 'users-title' },
    h('div', { class: 'view-head' }, h('h1', { id: 'users-title' }, bi('사용자', 'Users'))),
    secretBox,
    usersProblem,
    addUserForm,
    h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'users-table' },
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, bi('아이디', 'Username')),
        h('th', { scope: 'col' }, bi('역할', 'Role')),
        h('th', { scope: 'col' }, bi('카메라 그룹', 'Camera groups')),
        h('th', { scope: 'col' }, bi('상태', 'Status')),
        h('th', { scope: 'col' }, bi('비밀번호', 'Password')),
        h('th', { scope: 'col' }, bi('생성', 'Created')),
        h('th', { scope: 'col' }, bi('작업', 'Actions')))),
      usersBody)),
    h('h2', { id: 'groups-title' }, bi('카메라 그룹', 'Camera groups')),
    groupsProblem,
    h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'groups-table' },
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, bi('이름', 'Name')),
        h('th', { scope: 'col' }, bi('설명', 'Description')),
        h('th', { scope: 'col' }, bi('규칙', 'Rule')),
        h('th', { scope: 'col', class: 'number' }, bi('카메라', 'Cameras')),
        h('th', { scope: 'col' }, bi('작업', 'Actions')))),
      groupsBody)),
    h('h3', null, bi('새 카메라 그룹', 'New camera group')),
    addGroupForm);

  async function load() {
    const [usersAnswer, groupsAnswer, purposeBook] = await Promise.allSettled([
      api.get('/api/users'), api.get('/api/groups'), context.getPurposes(),
    ]);
    if (purposeBook.status === 'fulfilled') {
      purposes = purposeBook.value;
      replace(groupPurposes, purposes.list.map((purpose) =>
        h('option', { value: purpose.code }, `${purpose.name} · ${purpose.nameEnglish}`)));
    }
    if (groupsAnswer.status === 'fulfilled') {
      groups = Array.isArray(groupsAnswer.value) ? groupsAnswer.value : [];
      message(groupsProblem, 'error', '');
      renderGroups();
    } else {
      message(groupsProblem, 'error', errorText(groupsAnswer.reason));
    }
    if (usersAnswer.status === 'fulfilled') {
      users = Array.isArray(usersAnswer.value) ? usersAnswer.value : [];
      message(usersProblem, 'error', '');
      renderUsers();
    } else {
      message(usersProblem, 'error', errorText(usersAnswer.reason));
    }
  }

  let camerasListed = false;
  return {
    el,
    show() {
      load();
      if (!camerasListed) {
        camerasListed = true;
        groupCameras.picker.load();
      }
    },
    destroy() {
      groupCameras.picker.destroy();
    },
  };
}
