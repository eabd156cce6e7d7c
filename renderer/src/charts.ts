/** The popover's two drawings, as plain SVG: the quota ring and the burn-rate sparkline. */
import { s } from './dom.js';

const RING_RADIUS = 52;
const RING_CIRCUMFERENCE = 2 * Math.PI * RING_RADIUS;

/** The ring's track and arc; `percent` is clamped to 0..100 for the drawing (the text shows the real figure). */
export function ring(): { svg: SVGSVGElement; set: (percent: number) => void } {
  const arc = s('circle', { class: 'ring-arc', cx: 60, cy: 60, r: RING_RADIUS, transform: 'rotate(-90 60 60)', 'stroke-dasharray': `0 ${RING_CIRCUMFERENCE}` });
  const svg = s('svg', { viewBox: '0 0 120 120', 'aria-hidden': 'true', focusable: 'false' }, s('circle', { class: 'ring-track', cx: 60, cy: 60, r: RING_RADIUS }), arc);
  return {
    svg,
    set: (percent) => {
      const p = Number.isFinite(percent) ? Math.min(100, Math.max(0, percent)) : 0;
      // A sliver stays visible for any usage above zero.
      const length = p > 0 ? Math.max(2, (p / 100) * RING_CIRCUMFERENCE) : 0;
      arc.setAttribute('stroke-dasharray', `${length.toFixed(2)} ${RING_CIRCUMFERENCE.toFixed(2)}`);
      // A zero-length dash still draws its round cap: a dot at the top.
      arc.classList.toggle('ring-arc-empty', length === 0);
    },
  };
}

/** A constant burn rate over [from, to) (epoch ms). */
export interface BurnSegment {
  from: number;
  to: number;
  tokensPerMinute: number;
}

export interface BurnChartInput {
  segments: BurnSegment[];
  /** The x axis: the whole window, start to reset. */
  start: number;
  end: number;
  now: number;
  /** The rate that would spend exactly the remaining quota by the reset; drawn dashed. */
  pace: number | null;
}

const W = 300;
const H = 40;
const PAD_TOP = 4;

/**
 * The sparkline: burn rate over the window so far, the pace line the rest of the window allows,
 * and a "now" tick. Few segments (derived from window average and last hour) draw as steps; a
 * real series draws as a line through each interval's middle.
 */
export function burnChart(input: BurnChartInput): SVGSVGElement {
  const span = Math.max(1, input.end - input.start);
  const x = (t: number) => (Math.min(Math.max(t, input.start), input.end) - input.start) / span * W;
  const top = Math.max(1, input.pace ?? 0, ...input.segments.map((segment) => segment.tokensPerMinute)) * 1.15;
  const y = (rate: number) => H - (Math.max(0, rate) / top) * (H - PAD_TOP);
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', class: 'spark', 'aria-hidden': 'true', focusable: 'false' });
  svg.appendChild(s('line', { class: 'spark-base', x1: 0, x2: W, y1: H - 0.5, y2: H - 0.5 }));

  const points: [number, number][] = [];
  if (input.segments.length > 2) {
    for (const segment of input.segments) points.push([x((segment.from + segment.to) / 2), y(segment.tokensPerMinute)]);
    const first = input.segments[0];
    const last = input.segments[input.segments.length - 1];
    if (first && last) {
      points.unshift([x(first.from), y(first.tokensPerMinute)]);
      points.push([x(last.to), y(last.tokensPerMinute)]);
    }
  } else {
    for (const segment of input.segments) {
      points.push([x(segment.from), y(segment.tokensPerMinute)], [x(segment.to), y(segment.tokensPerMinute)]);
    }
  }
  if (points.length >= 2) {
    const line = points.map(([px, py], index) => `${index === 0 ? 'M' : 'L'}${px.toFixed(1)},${py.toFixed(1)}`).join(' ');
    const firstX = (points[0] as [number, number])[0].toFixed(1);
    const lastX = (points[points.length - 1] as [number, number])[0].toFixed(1);
    svg.appendChild(s('path', { class: 'spark-area', d: `${line} L${lastX},${H} L${firstX},${H} Z` }));
    svg.appendChild(s('path', { class: 'spark-line', d: line }));
  }
  if (input.pace !== null && Number.isFinite(input.pace)) {
    const py = y(input.pace).toFixed(1);
    svg.appendChild(s('line', { class: 'spark-pace', x1: x(input.now).toFixed(1), x2: W, y1: py, y2: py }));
  }
  const nowX = x(input.now).toFixed(1);
  svg.appendChild(s('line', { class: 'spark-now', x1: nowX, x2: nowX, y1: PAD_TOP - 2, y2: H }));
  return svg;
}
