// Small DOM helpers. Text always goes in through text nodes, so data from the public CSV files
// can never become markup; `escapeHTML` is for the few places an API wants an HTML string.

/**
 * Creates an element. `attrs` keys: `class`, `dataset` (object), `style` (object),
 * `on` (object of event → listener), properties such as `value`, `checked`, `disabled`,
 * `hidden`, `selected`, `type`; anything else becomes an attribute. Children may be nodes,
 * strings, numbers, arrays, or null/false (skipped).
 */
export function h(tag, attrs = null, ...children) {
  const element = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false && !PROPERTIES.has(key)) continue;
      if (key === 'class') element.className = value;
      else if (key === 'dataset') Object.assign(element.dataset, value);
      else if (key === 'style') Object.assign(element.style, value);
      else if (key === 'on') {
        for (const [event, listener] of Object.entries(value)) element.addEventListener(event, listener);
      } else if (PROPERTIES.has(key)) element[key] = value;
      else element.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

const PROPERTIES = new Set(['value', 'checked', 'disabled', 'hidden', 'selected', 'multiple', 'required', 'readOnly', 'open']);

function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(String(child)));
  }
}

/** Replaces every child of `parent`. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  append(parent, children);
}

/** A Korean label with its English twin, e.g. bi('카메라', 'Cameras'). */
export function bi(korean, english) {
  return [h('span', { class: 'ko', lang: 'ko' }, korean), ' ', h('span', { class: 'en', lang: 'en' }, english)];
}

export function escapeHTML(value) {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const integerFormat = new Intl.NumberFormat('ko-KR');

/** 12345 → "12,345"; other values are shown as text, null as "—". */
export function formatInteger(value) {
  return typeof value === 'number' && Number.isFinite(value) ? integerFormat.format(value) : text(value);
}

function pad(number) {
  return String(number).padStart(2, '0');
}

/** Milliseconds since 1970 → ISO 8601 in UTC without fractions, as the API asks for times. */
export function isoUTC(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A `datetime-local` input's value (local time) → ISO 8601 in UTC without fractions, or ''
 * when it is empty or not a time. */
export function isoFrom(input) {
  const date = input.value ? new Date(input.value) : null;
  return date && !Number.isNaN(date.getTime()) ? isoUTC(date.getTime()) : '';
}

/** A time (ISO 8601 or milliseconds) → a `datetime-local` value in local time, to the second. */
export function localInputValue(time) {
  const date = new Date(time);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
}

/** Korea keeps no daylight saving time, so Korean time (KST, the control room's) is always UTC+9. */
export const KST_OFFSET_MS = 9 * 3_600_000;

/** ISO 8601 → "YYYY-MM-DD HH:MM:SS" in Korean time, whatever time zone the browser runs in. */
export function formatKST(iso) {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return String(iso ?? '—');
  return new Date(ms + KST_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** ISO 8601 → local "YYYY-MM-DD HH:MM:SS" (the control room's clock). */
export function formatTime(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} `
    + `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** A value for a table cell: empty strings and null become "—". */
export function text(value) {
  if (value === null || value === undefined) return '—';
  const string = String(value).trim();
  return string === '' ? '—' : string;
}

/** An inline message line; `kind` is "error", "ok" or "info". Empty text hides it. */
export function message(element, kind, content) {
  element.className = `message message-${kind}`;
  element.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  replace(element, content ?? '');
  element.hidden = content === null || content === undefined || content === '';
}

/** Calls `fn` once `wait` ms have passed without another call. */
export function debounce(fn, wait) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), wait);
  };
}

/** Accepts only plain CSS colours (hex, rgb(), hsl()); anything else becomes grey. */
export function safeColor(value) {
  if (typeof value !== 'string') return '#9aa4b1';
  const color = value.trim();
  if (/^#(?:[0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.test(color)) return color;
  if (/^(?:rgb|hsl)a?\(\s*[-\d.%\s,/]+\)$/i.test(color)) return color;
  return '#9aa4b1';
}

/**
 * A two-step button for actions that cannot be undone: the first click arms it for 5 s (showing
 * `armedLabel`), the second one runs `action` (async).
 */
export function confirmButton(label, armedLabel, action) {
  const button = h('button', { type: 'button', class: 'button-small button-danger' }, label);
  let armed = null;
  button.addEventListener('click', async () => {
    if (!armed) {
      replace(button, armedLabel);
      armed = setTimeout(() => {
        armed = null;
        replace(button, label);
      }, 5_000);
      return;
    }
    clearTimeout(armed);
    armed = null;
    button.disabled = true;
    try {
      await action();
    } finally {
      button.disabled = false;
      replace(button, label);
    }
  });
  return button;
}

/**
 * A view's show/hide/destroy that run `load` on show and every `ms` while the view is on
 * screen, and stop on hide.
 */
export function refreshWhileShown(load, ms) {
  let timer = null;
  return {
    show() {
      load();
      clearInterval(timer);
      timer = setInterval(load, ms);
    },
    hide() {
      clearInterval(timer);
      timer = null;
    },
    destroy() {
      clearInterval(timer);
    },
  };
}
