// "Add to wall" for a camera in a map popup: puts it in the first empty tile of the operator's
// wall (wallstore.js) and says in `status` which tile it went to, or that none was free.

import { bi, h, replace } from './dom.js';
import { addToWall } from './wallstore.js';

/** A button that adds `camera` (`{id, label}`) to the wall and reports in `status`. */
export function wallButton(context, camera, status) {
  const button = h('button', { type: 'button', class: 'button-small' }, bi('벽에 추가', 'Add to wall'));
  button.addEventListener('click', () => {
    const { index, already } = addToWall(context.user, { id: String(camera.id), label: camera.label });
    replace(status, index === 0
      ? '영상벽에 빈 칸이 없습니다 · No empty tile on the wall'
      : `${already ? '이미 ' : ''}영상벽 ${index}번 칸 · ${already ? 'Already in' : 'Added to'} wall tile ${index} — `,
    index === 0 ? null : h('a', { href: '#wall' }, bi('영상벽 보기', 'Open wall')));
  });
  return button;
}
