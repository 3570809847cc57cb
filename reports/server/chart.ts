/**
 * A server-rendered SVG chart of coins per billing period, one stacked bar per period and
 * one colour per unit, with axis labels, a legend and `<title>` tooltips. Readable in a
 * browser without scripts. Coins arrive as exact {@link Coins}; they become numbers only to
 * compute bar heights.
 *
 * @module
 */

import { Coins } from "../../client/coins.ts";
import { escapeHtml } from "./html.ts";

/** One bar of the chart: a billing period. */
export interface ChartPeriod {
  /** Prior billing period (0 = current). */
  pbp: number;
  /** Earliest `from` of the units in this period, `YYYY-MM-DD`. */
  from: string;
  /** Latest `until`, exclusive. */
  until: string;
  /** True when the period is not over yet (the current one): drawn lighter, marked "so far". */
  open?: boolean;
}

/** A period in words for tooltips and tables: `last closed period`, `2 periods ago`, ... */
export function chartPeriodInWords(p: Pick<ChartPeriod, "pbp" | "open">): string {
  if (p.pbp === 0) return p.open === false ? "current period" : "current period (so far)";
  if (p.pbp === -1) return "last closed period";
  return `${-p.pbp} periods ago`;
}

/** One colour of the chart: a unit and its coins per period (same order as the periods). */
export interface ChartSeries {
  id: string;
  name: string;
  coins: Coins[];
}

/** What {@link renderCoinsChart} draws. */
export interface ChartData {
  /** Accessible title, e.g. "Coins per billing period — Acme". */
  title: string;
  /** Oldest first. */
  periods: ChartPeriod[];
  series: ChartSeries[];
}

const PALETTE = [
  "#1f6feb",
  "#f59e0b",
  "#10b981",
  "#ef4444",
  "#8b5cf6",
  "#06b6d4",
  "#ec4899",
  "#84cc16",
  "#64748b",
  "#d97706",
];

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function shortDate(date: string): string {
  const [y, m, d] = date.split("-");
  return `${d} ${MONTHS[Number(m) - 1] ?? m} ${y.slice(2)}`;
}

/** A "nice" axis maximum and step for values up to `max`. */
function niceScale(max: number): { top: number; step: number } {
  if (!(max > 0)) return { top: 1, step: 0.25 };
  const rough = max / 5;
  const mag = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= rough) ?? 10 * mag;
  return { top: Math.ceil(max / step) * step, step };
}

function fmtTick(value: number): string {
  return value >= 1000 ? value.toLocaleString("en-GB") : String(Number(value.toFixed(2)));
}

/** Renders the chart as a standalone `<svg>` element (also valid inside HTML). */
export function renderCoinsChart(data: ChartData, options: { width?: number } = {}): string {
  const width = options.width ?? 960;
  const legendRows = Math.ceil(data.series.length / 4);
  const margin = { top: 40, right: 24, bottom: 64 + legendRows * 22, left: 80 };
  const plotH = 300;
  const height = margin.top + plotH + margin.bottom;
  const plotW = width - margin.left - margin.right;
  const n = Math.max(1, data.periods.length);
  const totals = data.periods.map((_, i) =>
    Coins.sum(data.series.map((s) => s.coins[i] ?? Coins.zero()))
  );
  const { top, step } = niceScale(Math.max(0, ...totals.map((t) => t.toNumber())));
  const y = (v: number) => margin.top + plotH - (Math.max(0, v) / top) * plotH;
  const slot = plotW / n;
  const barW = Math.min(56, slot * 0.64);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="chart-title" font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif" font-size="12">`,
    `<title id="chart-title">${escapeHtml(data.title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
  );
  for (let v = 0; v <= top + step / 2; v += step) {
    const yy = y(v).toFixed(1);
    out.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${yy}" y2="${yy}" stroke="${
        v === 0 ? "#94a3b8" : "#e2e8f0"
      }"/>`,
      `<text x="${margin.left - 8}" y="${yy}" dy="4" text-anchor="end" fill="#5b6b7c">${
        fmtTick(v)
      }</text>`,
    );
  }
  out.push(
    `<text transform="translate(18 ${
      margin.top + plotH / 2
    }) rotate(-90)" text-anchor="middle" fill="#1d2733" font-weight="600">Coins</text>`,
    `<text x="${margin.left + plotW / 2}" y="${
      margin.top + plotH + 46
    }" text-anchor="middle" fill="#1d2733" font-weight="600">Billing period (start date)</text>`,
  );
  data.periods.forEach((p, i) => {
    const cx = margin.left + slot * i + slot / 2;
    let acc = 0;
    data.series.forEach((s, k) => {
      const c = s.coins[i] ?? Coins.zero();
      const v = c.toNumber();
      if (!(v > 0)) return;
      const y0 = y(acc);
      const y1 = y(acc + v);
      acc += v;
      const tip = `${s.name}: ${c.toString()} coins, ${p.from} (incl.) to ${p.until} (excl.), ${
        chartPeriodInWords(p)
      }`;
      out.push(
        `<rect x="${(cx - barW / 2).toFixed(1)}" y="${y1.toFixed(1)}" width="${
          barW.toFixed(1)
        }" height="${Math.max(0.5, y0 - y1).toFixed(1)}" fill="${PALETTE[k % PALETTE.length]}"${
          p.open ? ` fill-opacity="0.45"` : ""
        }><title>${escapeHtml(tip)}</title></rect>`,
      );
    });
    const total = totals[i];
    out.push(
      `<text x="${cx.toFixed(1)}" y="${
        (y(acc) - 6).toFixed(1)
      }" text-anchor="middle" fill="#1d2733" font-size="11">${
        escapeHtml(total.isZero() ? "0" : total.toString())
      }<title>${
        escapeHtml(`Total ${total.toString()} coins, ${chartPeriodInWords(p)}`)
      }</title></text>`,
      `<text x="${cx.toFixed(1)}" y="${
        margin.top + plotH + 16
      }" text-anchor="middle" fill="#5b6b7c">${escapeHtml(shortDate(p.from))}</text>`,
      `<text x="${cx.toFixed(1)}" y="${
        margin.top + plotH + 30
      }" text-anchor="middle" fill="#9a3412" font-size="11">${p.open ? "so far" : ""}</text>`,
    );
  });
  const legendY = margin.top + plotH + 70;
  const colW = plotW / 4;
  data.series.forEach((s, k) => {
    const lx = margin.left + (k % 4) * colW;
    const ly = legendY + Math.floor(k / 4) * 22;
    const total = Coins.sum(s.coins);
    const label = s.name.length > 28 ? s.name.slice(0, 27) + "…" : s.name;
    out.push(
      `<g><title>${
        escapeHtml(`${s.name} (${s.id}): ${total.toString()} coins over ${n} periods`)
      }</title>`,
      `<rect x="${lx.toFixed(1)}" y="${ly - 10}" width="12" height="12" rx="2" fill="${
        PALETTE[k % PALETTE.length]
      }"/>`,
      `<text x="${(lx + 18).toFixed(1)}" y="${ly}" fill="#1d2733">${escapeHtml(label)}</text></g>`,
    );
  });
  if (data.series.length === 0) {
    out.push(
      `<text x="${margin.left + plotW / 2}" y="${
        margin.top + plotH / 2
      }" text-anchor="middle" fill="#5b6b7c">No units</text>`,
    );
  }
  out.push(`</svg>`);
  return out.join("\n");
}
