/**
 * Small hand-drawn SVG charts. Each is an image with a summary label, plus a hidden data table
 * so screen-reader users get the numbers too.
 */
import { useEffect, useRef, useState } from 'react';
import { formatNumber } from '../lib/format.js';

/** The figure's width in CSS pixels, so text in the SVG stays at its real size. */
function useWidth(fallback: number) {
  const ref = useRef<HTMLElement>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(([entry]) => {
      const w = Math.round(entry?.contentRect.width ?? 0);
      if (w > 0) setWidth(w);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return { ref, width };
}

export interface Datum {
  label: string;
  value: number;
  /** Shorter label under the bar (e.g. day of month). */
  short?: string;
}

function DataTable({ caption, data, valueLabel }: { caption: string; data: Datum[]; valueLabel: string }) {
  return (
    <table className="sr-only">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Item</th>
          <th scope="col">{valueLabel}</th>
        </tr>
      </thead>
      <tbody>
        {data.map((d) => (
          <tr key={d.label}>
            <th scope="row">{d.label}</th>
            <td>{d.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Nice round top for the axis: 1, 2, 5 x 10^n. */
function niceMax(max: number): number {
  if (max <= 4) return 4;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

export function BarChart({
  data,
  title,
  valueLabel,
  tone = 'accent',
  labelEvery = 1,
}: {
  data: Datum[];
  title: string;
  valueLabel: string;
  tone?: 'accent' | 'warm';
  labelEvery?: number;
}) {
  const { ref, width: W } = useWidth(600);
  const H = 200;
  const pad = { l: 34, r: 8, t: 12, b: 26 };
  const max = niceMax(Math.max(0, ...data.map((d) => d.value)));
  const innerW = W - pad.l - pad.r;
  const innerH = H - pad.t - pad.b;
  const step = innerW / Math.max(1, data.length);
  const barW = Math.max(2, Math.min(48, step * 0.66));
  const total = data.reduce((s, d) => s + d.value, 0);
  const ticks = [0, max / 2, max];
  return (
    <figure className="chart" ref={ref}>
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={`${title}: ${formatNumber(total)} in total`} className={`chart-svg tone-${tone}`}>
        {ticks.map((t) => {
          const y = pad.t + innerH - (t / max) * innerH;
          return (
            <g key={t}>
              <line x1={pad.l} x2={W - pad.r} y1={y} y2={y} className="chart-grid" />
              <text x={pad.l - 6} y={y + 4} className="chart-axis" textAnchor="end">
                {formatNumber(t)}
              </text>
            </g>
          );
        })}
        {data.map((d, i) => {
          const h = (d.value / max) * innerH;
          const x = pad.l + i * step + (step - barW) / 2;
          return (
            <g key={d.label}>
              <rect x={x} y={pad.t + innerH - h} width={barW} height={Math.max(h, d.value > 0 ? 2 : 0)} rx={Math.min(4, barW / 3)} className="chart-bar">
                <title>{`${d.label}: ${formatNumber(d.value)}`}</title>
              </rect>
              {i % labelEvery === 0 && (
                <text x={x + barW / 2} y={H - 8} className="chart-axis" textAnchor="middle">
                  {d.short ?? d.label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <DataTable caption={title} data={data} valueLabel={valueLabel} />
    </figure>
  );
}

export function Funnel({ steps, title }: { steps: Datum[]; title: string }) {
  const { ref, width: W } = useWidth(600);
  const rowH = 40;
  const gap = 10;
  const labelW = 118;
  const H = steps.length * (rowH + gap) - gap;
  const max = Math.max(1, ...steps.map((s) => s.value));
  return (
    <figure className="chart" ref={ref}>
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={`${title}: ${steps.map((s) => `${s.label} ${formatNumber(s.value)}`).join(', ')}`} className="chart-svg">
        {steps.map((s, i) => {
          const y = i * (rowH + gap);
          const full = Math.max(40, W - labelW - 48);
          const w = Math.max(4, (s.value / max) * full);
          const prev = i > 0 ? steps[i - 1]!.value : 0;
          const rate = i > 0 && prev > 0 ? Math.round((s.value / prev) * 100) : null;
          return (
            <g key={s.label}>
              <text x={0} y={y + rowH / 2 + 5} className="chart-label">
                {s.label}
              </text>
              <rect x={labelW} y={y} width={full} height={rowH} rx={8} className="chart-track" />
              <rect x={labelW} y={y} width={w} height={rowH} rx={8} className={`chart-funnel chart-funnel-${i}`} />
              {/* The number sits inside a wide bar, and after a narrow one. */}
              <text x={w >= 64 ? labelW + 12 : labelW + w + 8} y={y + rowH / 2 + 5} className={w >= 64 ? 'chart-value' : 'chart-value-outside'}>
                {formatNumber(s.value)}
              </text>
              {rate !== null && (
                <text x={W} y={y + rowH / 2 + 5} className="chart-axis" textAnchor="end">
                  {rate}%
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <DataTable caption={title} data={steps} valueLabel="People" />
    </figure>
  );
}
