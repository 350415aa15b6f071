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
  indexingStalled: ['녹화 색인 멈춤', 'error'],
  unknown: ['알 수 없음', 'muted'],
};

/** A small badge "정상 online"; `reason` (the server's words) becomes its tooltip. */
export function healthBadge(health, reason) {
  const code = typeof health === 'string' && health !== '' ? health : 'unknown';
  const [korean, kind] = HEALTH[code] || [code, 'muted'];
  return h('span', { class: `badge badge-${kind} health-badge`, dataset: { health: code }, title: reason || null },
    korean === code ? code : `${korean} ${code}`);
}

/** What an analytics rule watches for (AnalyticsRule.Kind): [Korean, English]. */
export const RULE_KINDS = {
  intrusion: ['침입', 'Intrusion'],
  loitering: ['배회', 'Loitering'],
  lineCrossing: ['선 넘음', 'Line crossing'],
  crowding: ['밀집', 'Crowding'],
  objectLeft: ['물체 놓임', 'Object left'],
  abandonedObject: ['방치 물체', 'Abandoned object'],
  fall: ['쓰러짐', 'Fall'],
  fight: ['싸움', 'Fight'],
};

/** Object classes the detector names (ObjectClass): [Korean, English]. */
export const OBJECT_CLASSES = {
  person: ['사람', 'person'],
  bicycle: ['자전거', 'bicycle'],
  car: ['승용차', 'car'],
  motorcycle: ['오토바이', 'motorcycle'],
  bus: ['버스', 'bus'],
  truck: ['트럭', 'truck'],
  unknown: ['미분류', 'unknown'],
};

/** Tamper states from the live event feed: [Korean, English, badge colour]. */
const TAMPER_STATES = {
  normal: ['정상 복귀', 'back to normal', 'ok'],
  covered: ['렌즈 가림', 'lens covered', 'error'],
  defocused: ['초점 흐림', 'out of focus', 'warn'],
  moved: ['방향 틀어짐', 'camera moved', 'warn'],
  frozen: ['화면 멈춤', 'picture frozen', 'error'],
};

/** "침입 Intrusion" as Korean + English spans; unknown kinds show their code. */
export function ruleKindLabel(kind) {
  const [korean, english] = RULE_KINDS[kind] || [String(kind ?? '—'), ''];
  return h('span', { class: 'rule-kind' }, h('span', { class: 'ko', lang: 'ko' }, korean), ' ', h('span', { class: 'en', lang: 'en' }, english));
}

/** "사람 person, 승용차 car" (plain text). */
export function classesText(classes) {
  if (!Array.isArray(classes) || classes.length === 0) return '—';
  return classes.map((code) => {
    const [korean, english] = OBJECT_CLASSES[code] || [code, ''];
    return english ? `${korean} ${english}` : korean;
  }).join(', ');
}

/** [Korean, English, badge kind] of a tamper state. */
export function tamperState(state) {
  return TAMPER_STATES[state] || [String(state ?? '—'), String(state ?? ''), 'warn'];
}
