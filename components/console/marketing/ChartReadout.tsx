"use client";

import { useState, type KeyboardEvent, type PointerEvent, type ReactNode } from "react";

/**
 * Makes a server-drawn chart readable bar by bar. The plot is ONE tab stop (not one per bar:
 * 90 or 53 of them would bury the rest of the page): focus it and ←/→ step a bar, Page Up/Down
 * step 7, Home/End jump to the ends; pointing at it (mouse, pen or touch) picks the bar beneath.
 * The chosen bar's figures appear in a polite live region above the plot, so screen readers hear
 * them too, and the bar is outlined. Without JavaScript the bars' <title> tooltips and the table
 * beside the chart carry the same figures.
 *
 * Bars are positioned by day: bar i spans days spans[i][0]..spans[i][1] of `days`, laid across
 * the plot's full width, which is how the pointer's x maps back to a bar.
 */
export function ChartReadout({
  id,
  label,
  hint,
  readouts,
  spans,
  days,
  yAxis,
  xAxis,
  children,
}: {
  id: string;
  label: string;
  hint: string;
  readouts: string[];
  spans: [number, number][];
  days: number;
  yAxis: ReactNode;
  xAxis: ReactNode;
  children: ReactNode;
}) {
  const [active, setActive] = useState<number | null>(null);
  const last = spans.length - 1;
  const clamp = (i: number) => Math.min(last, Math.max(0, i));

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const current = active ?? last;
    const next: Record<string, number> = {
      ArrowLeft: current - 1,
      ArrowRight: current + 1,
      PageUp: current - 7,
      PageDown: current + 7,
      Home: 0,
      End: last,
    };
    if (!(e.key in next)) return;
    e.preventDefault();
    setActive(clamp(next[e.key]));
  }

  function onPointer(e: PointerEvent<HTMLDivElement>) {
    const box = e.currentTarget.getBoundingClientRect();
    if (box.width <= 0) return;
    const day = Math.floor(((e.clientX - box.left) / box.width) * days);
    const i = spans.findIndex(([from, to]) => day >= from && day <= to);
    if (i >= 0) setActive(i);
  }

  const span = active === null ? null : spans[active];
  return (
    <div className="space-y-2">
      <p
        id={`${id}-readout`}
        aria-live="polite"
        className="min-h-10 rounded-md bg-gray-50 px-3 py-2 text-sm text-gray-900"
        data-testid="chart-readout"
      >
        {active === null ? hint : readouts[active]}
      </p>
      <div className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-2">
        {yAxis}
        <div
          role="group"
          aria-label={label}
          tabIndex={0}
          onKeyDown={onKeyDown}
          onFocus={() => setActive((a) => a ?? last)}
          onPointerMove={onPointer}
          onPointerDown={onPointer}
          className="relative h-48 touch-pan-y rounded-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700"
          data-testid="chart-plot"
        >
          {children}
          {/* A ring outside the column and a light tint: on a phone a 90-day bar is 3 px wide, and a border inside would cover it. */}
          {span && (
            <div
              aria-hidden="true"
              className="pointer-events-none absolute inset-y-0 bg-gray-900/10 ring-1 ring-gray-900"
              style={{ left: `${(span[0] / days) * 100}%`, width: `${((span[1] - span[0] + 1) / days) * 100}%` }}
            />
          )}
        </div>
        <div />
        {xAxis}
      </div>
    </div>
  );
}
