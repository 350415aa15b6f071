// The picture rules are drawn on: a camera snapshot with an SVG layer over it in the picture's own
// pixels, so zones, lines and masks (stored as fractions of the picture, 0,0 top-left) land where
// they were clicked at any size. Drawing: click the corners of a zone (double-click, Enter or
// Done closes it; Backspace takes the last corner back; Escape gives up) or the two ends of a
// line. Without a snapshot the layer keeps a 16:9 frame, so rules can still be drawn and seen.

import { ApiError } from './api.js';
import { h } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
/** Two clicks closer than this (fraction of the picture) are one corner (a double-click). */
const SAME_POINT = 0.008;

function svg(tag, attrs = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined) element.setAttribute(key, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    element.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

function clamp(value) {
  return Math.min(1, Math.max(0, value));
}

/**
 * The camera's latest keyframe (GET /api/cameras/:id/snapshot) as a data: URL, because the
 * console's Content-Security-Policy allows no blob: images. Throws an ApiError with the server's
 * reason (409: the camera is not recorded here).
 */
export async function snapshotDataURL(cameraId, signal) {
  const response = await fetch(`/api/cameras/${encodeURIComponent(cameraId)}/snapshot`, { credentials: 'same-origin', cache: 'no-store', signal });
  if (!response.ok) {
    let reason = `${response.status}`;
    try { reason = (await response.json()).reason || reason; } catch { /* not JSON */ }
    throw new ApiError(response.status, reason);
  }
  const blob = await response.blob();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

/**
 * Returns `{el, surface, setPicture(url | null), setShapes(shapes), draw(mode, onDone), cancel(),
 * finish(), undo(), drawing}`. `surface` (#rule-canvas, or the `id` given) is what the user clicks on. A shape is
 * `{type: 'polygon' | 'line' | 'mask', points: [{x, y}], colour, label, selected, direction}`.
 * `draw('polygon' | 'line', onDone)` collects points and calls `onDone(points)` (or
 * `onDone(null)` when cancelled); `onChange(state)` hears every click while drawing.
 */
export function createRuleCanvas({ onChange, id = 'rule-canvas' } = {}) {
  const picture = h('img', { class: 'rule-picture', alt: '', draggable: 'false', hidden: true });
  const layer = svg('svg', { class: 'rule-layer', viewBox: '0 0 1600 900', preserveAspectRatio: 'none', 'aria-hidden': 'true' });
  const surface = h('div', {
    id, class: 'rule-canvas no-picture', tabindex: '0', role: 'application',
    'aria-label': '규칙 그리기 영역 Drawing area: click to place points; Enter closes a zone, Backspace removes the last point, Escape cancels',
  }, picture, layer);
  const el = h('div', { class: 'rule-canvas-wrap' }, surface);

  let width = 1600;
  let height = 900;
  let shapes = [];
  let drawing = null; // { mode, points, onDone }
  let pointer = null; // where the pointer hovers while drawing, for the rubber band

  function setSize(w, h_) {
    width = w;
    height = h_;
    layer.setAttribute('viewBox', `0 0 ${width} ${height}`);
    surface.style.aspectRatio = `${width} / ${height}`;
    render();
  }

  function px(point) {
    return `${(point.x * width).toFixed(1)},${(point.y * height).toFixed(1)}`;
  }

  /** An arrow across a line's middle towards the side(s) its direction counts. */
  function directionArrows(start, end, direction, colour, strokeWidth) {
    const sx = start.x * width;
    const sy = start.y * height;
    const dx = end.x * width - sx;
    const dy = end.y * height - sy;
    const length = Math.hypot(dx, dy) || 1;
    // The right-hand side seen from start looking at end (y grows downwards): (-dy, dx).
    const nx = -dy / length;
    const ny = dx / length;
    const mx = sx + dx / 2;
    const my = sy + dy / 2;
    const reach = Math.min(width, height) * 0.08;
    const arrow = (sign) => {
      const tipX = mx + sign * nx * reach;
      const tipY = my + sign * ny * reach;
      const fromX = mx - sign * nx * reach;
      const fromY = my - sign * ny * reach;
      const wing = reach * 0.35;
      const bx = tipX - sign * nx * wing;
      const by = tipY - sign * ny * wing;
      return svg('g', { class: 'rule-arrow' },
        svg('line', { x1: fromX, y1: fromY, x2: tipX, y2: tipY, stroke: colour, 'stroke-width': strokeWidth }),
        svg('polygon', {
          points: `${tipX},${tipY} ${bx + (dx / length) * wing},${by + (dy / length) * wing} ${bx - (dx / length) * wing},${by - (dy / length) * wing}`,
          fill: colour,
        }));
    };
    if (direction === 'leftToRight') return [arrow(1)];
    if (direction === 'rightToLeft') return [arrow(-1)];
    return [arrow(1), arrow(-1)];
  }

  function render() {
    const unit = Math.max(width, height) / 400;
    const nodes = [];
    for (const shape of shapes) {
      const points = Array.isArray(shape.points) ? shape.points : [];
      if (points.length === 0) continue;
      const strokeWidth = unit * (shape.selected ? 1.6 : 0.9);
      const colour = shape.colour || '#6cb6ff';
      const group = svg('g', { class: `rule-shape rule-shape-${shape.type}${shape.selected ? ' selected' : ''}` });
      if (shape.type === 'line' && points.length === 2) {
        group.append(
          svg('line', { x1: points[0].x * width, y1: points[0].y * height, x2: points[1].x * width, y2: points[1].y * height, stroke: colour, 'stroke-width': strokeWidth * 1.4, 'stroke-linecap': 'round' }),
          ...directionArrows(points[0], points[1], shape.direction, colour, strokeWidth),
          svg('circle', { cx: points[0].x * width, cy: points[0].y * height, r: unit * 2, fill: colour }),
          svg('circle', { cx: points[1].x * width, cy: points[1].y * height, r: unit * 2, fill: '#000', stroke: colour, 'stroke-width': strokeWidth }));
      } else if (shape.type === 'mask') {
        group.append(svg('polygon', {
          points: points.map(px).join(' '), fill: 'rgba(0, 0, 0, 0.72)', stroke: colour, 'stroke-width': strokeWidth, 'stroke-dasharray': `${unit * 3} ${unit * 2}`,
        }));
      } else {
        group.append(svg('polygon', {
          points: points.map(px).join(' '), fill: colour, 'fill-opacity': shape.selected ? 0.28 : 0.14, stroke: colour, 'stroke-width': strokeWidth, 'stroke-linejoin': 'round',
        }));
      }
      if (shape.label) {
        group.append(svg('text', {
          x: points[0].x * width + unit * 2.5, y: points[0].y * height - unit * 2.5, fill: colour, 'font-size': unit * 8,
          'paint-order': 'stroke', stroke: '#000', 'stroke-width': unit * 1.2, class: 'rule-label',
        }, shape.label));
      }
      nodes.push(group);
    }
    if (drawing) {
      const points = pointer ? [...drawing.points, pointer] : drawing.points;
      const colour = '#ffd33d';
      const closed = drawing.mode === 'polygon' && points.length >= 3;
      if (points.length >= 2) {
        nodes.push(svg(closed ? 'polygon' : 'polyline', {
          class: 'rule-drawing', points: points.map(px).join(' '), fill: closed ? colour : 'none', 'fill-opacity': 0.15,
          stroke: colour, 'stroke-width': unit, 'stroke-dasharray': `${unit * 3} ${unit * 1.5}`,
        }));
      }
      for (const point of drawing.points) {
        nodes.push(svg('circle', { class: 'rule-drawing-point', cx: point.x * width, cy: point.y * height, r: unit * 2.2, fill: colour, stroke: '#000', 'stroke-width': unit * 0.5 }));
      }
    }
    layer.replaceChildren(...nodes);
    surface.classList.toggle('drawing', Boolean(drawing));
  }

  function pointAt(event) {
    const box = surface.getBoundingClientRect();
    return {
      x: Number(clamp((event.clientX - box.left) / box.width).toFixed(4)),
      y: Number(clamp((event.clientY - box.top) / box.height).toFixed(4)),
    };
  }

  function changed() {
    render();
    onChange?.(drawing ? { mode: drawing.mode, count: drawing.points.length } : null);
  }

  function end(result) {
    const done = drawing?.onDone;
    drawing = null;
    pointer = null;
    changed();
    done?.(result);
  }

  /** Closes the zone being drawn (needs 3 corners); true when it did. */
  function finish() {
    if (!drawing) return false;
    if (drawing.mode === 'polygon' && drawing.points.length >= 3) {
      end(drawing.points);
      return true;
    }
    return false;
  }

  surface.addEventListener('click', (event) => {
    if (!drawing) return;
    const point = pointAt(event);
    const last = drawing.points[drawing.points.length - 1];
    if (last && Math.abs(last.x - point.x) < SAME_POINT && Math.abs(last.y - point.y) < SAME_POINT) return;
    drawing.points.push(point);
    if (drawing.mode === 'line' && drawing.points.length === 2) {
      end(drawing.points);
      return;
    }
    changed();
  });
  surface.addEventListener('dblclick', (event) => {
    event.preventDefault();
    finish();
  });
  surface.addEventListener('mousemove', (event) => {
    if (!drawing || drawing.points.length === 0) return;
    pointer = pointAt(event);
    render();
  });
  surface.addEventListener('mouseleave', () => {
    if (!pointer) return;
    pointer = null;
    render();
  });
  surface.addEventListener('keydown', (event) => {
    if (!drawing) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      finish();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      end(null);
    } else if (event.key === 'Backspace') {
      event.preventDefault();
      drawing.points.pop();
      changed();
    }
  });
  picture.addEventListener('load', () => {
    picture.hidden = false;
    surface.classList.remove('no-picture');
    setSize(picture.naturalWidth || 1600, picture.naturalHeight || 900);
  });

  setSize(1600, 900);

  return {
    el,
    surface,
    /** Shows the picture at `url` (a data: URL), or the empty frame for null. */
    setPicture(url) {
      if (url) {
        picture.src = url;
      } else {
        picture.hidden = true;
        picture.removeAttribute('src');
        surface.classList.add('no-picture');
      }
    },
    setShapes(next) {
      shapes = Array.isArray(next) ? next : [];
      render();
    },
    draw(mode, onDone) {
      if (drawing) end(null);
      drawing = { mode, points: [], onDone };
      changed();
      surface.focus({ preventScroll: true });
    },
    cancel() {
      if (drawing) end(null);
    },
    finish,
    undo() {
      if (!drawing) return;
      drawing.points.pop();
      changed();
    },
    get drawing() {
      return drawing ? { mode: drawing.mode, count: drawing.points.length } : null;
    },
  };
}
