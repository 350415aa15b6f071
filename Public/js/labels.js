// Words the control room uses for roles and camera purposes, Korean first.

import { h, safeColor } from './dom.js';

export const ROLES = ['administrator', 'operator', 'police', 'maintenance', 'privacyOfficer'];

const ROLE_KOREAN = {
  administrator: '관리자',
  operator: '관제요원',
  police: '경찰',
  maintenance: '유지보수',
  privacyOfficer: '개인정보보호책임자',
};

/** "관리자 administrator" */
export function roleLabel(role) {
  const korean = ROLE_KOREAN[role];
  return korean ? `${korean} ${role}` : String(role ?? '—');
}

/** Purposes from `GET /api/purposes`, looked up by code. */
export class PurposeBook {
  constructor(list) {
    this.list = Array.isArray(list) ? list : [];
    this.byCode = new Map(this.list.map((purpose) => [purpose.code, purpose]));
  }

  color(code) {
    return safeColor(this.byCode.get(code)?.color);
  }

  korean(code, fallback) {
    return this.byCode.get(code)?.name || fallback || code || '—';
  }

  english(code) {
    return this.byCode.get(code)?.nameEnglish || code || '';
  }

  /** Index of the purpose in the server's order (unknown codes last). */
  order(code) {
    const index = this.list.findIndex((purpose) => purpose.code === code);
    return index === -1 ? this.list.length : index;
  }

  /** A colour swatch + Korean text (the original `purposeText` when given) + English. */
  label(code, purposeText) {
    const korean = purposeText || this.korean(code);
    return h('span', { class: 'purpose' },
      h('span', { class: 'swatch', style: { backgroundColor: this.color(code) }, 'aria-hidden': 'true' }),
      h('span', { class: 'ko', lang: 'ko' }, korean),
      ' ',
      h('span', { class: 'en', lang: 'en' }, this.english(code)));
  }
}

/** Camera health words from GET /api/cameras/:id/health: [Korean, badge colour]. */
const HEALTH = {
  connecting: ['연결 중', 'warn'],
  online: ['정상', 'ok'],
  stalled: ['멈춤', 'warn'],
  offline: ['끊김', 'error'],
  reconnecting: ['재연결 중', 'warn'],
  disabled: ['사용 안 함', 'muted'],
  unknown: ['알 수 없음', 'muted'],
};

/** A small badge "정상 online"; `reason` (the server's words) becomes its tooltip. */
export function healthBadge(health, reason) {
  const code = typeof health === 'string' && health !== '' ? health : 'unknown';
  const [korean, kind] = HEALTH[code] || [code, 'muted'];
  return h('span', { class: `badge badge-${kind} health-badge`, dataset: { health: code }, title: reason || null },
    korean === code ? code : `${korean} ${code}`);
}
