import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export type Series = { label: string; values: (number | null)[]; color: string };

/** One line per series over the categories (days, weeks, channels, agents …), drawn by uPlot on a canvas. */
export function KpiChart({
  title,
  categories,
  series,
}: {
  title: string;
  categories: string[];
  series: Series[];
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const plot = new uPlot(
      {
        width: Math.max(320, element.clientWidth),
        height: 240,
        scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
        axes: [
          {
            values: (_u, ticks) =>
              ticks.map((tick) => (Number.isInteger(tick) ? (categories[tick] ?? '') : '')),
          },
          {},
        ],
        series: [
          { label: '', value: (_u, v) => (v === null ? '' : (categories[v] ?? '')) },
          ...series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 2,
            points: { show: true, size: 6 },
          })),
        ],
      },
      [categories.map((_, i) => i), ...series.map((s) => s.values)],
      element,
    );
    return () => plot.destroy();
  }, [categories, series]);
  return (
    <figure className="kpi-chart">
      <figcaption>{title}</figcaption>
      <div ref={box} role="img" aria-label={title} data-points={categories.length} />
    </figure>
  );
}
