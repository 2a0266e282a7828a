// The wall's chart look: dark navy, cyan/teal accents, sizes in design pixels × u so a chart
// draws at its real pixel size (sharp at 4K) instead of being scaled as a bitmap.
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, FunnelSeriesOption, GaugeSeriesOption, LineSeriesOption, PieSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import { format } from 'echarts/core';
import type { Lang } from '../params';

export type ChartOption = ComposeOption<
  | BarSeriesOption | LineSeriesOption | PieSeriesOption | FunnelSeriesOption | GaugeSeriesOption
  | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

export interface ChartContext {
  /** CSS pixels per design pixel */
  u: number;
  lang: Lang;
}

export const FONT_STACK = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif';

export const colors = {
  text: '#d6ecff',
  dim: '#8fb3d6',
  faint: 'rgba(120, 170, 220, 0.16)',
  cyan: '#22d3ee',
  teal: '#2dd4bf',
  blue: '#3b82f6',
  amber: '#fbbf24',
  red: '#f43f5e',
  violet: '#a78bfa',
  green: '#34d399',
  grey: '#64748b',
};

export const palette = [colors.cyan, colors.teal, colors.blue, colors.amber, colors.violet, colors.green, '#f472b6', '#fb923c'];

/** Design px → CSS px, rounded to half pixels to keep strokes crisp. */
export const px = (ctx: ChartContext, n: number): number => Math.round(n * ctx.u * 2) / 2;

/** Escapes user-visible text for ECharts' HTML tooltips (no markup ever comes from data). */
export const esc = (s: unknown): string => format.encodeHTML(String(s ?? ''));

export function base(ctx: ChartContext): ChartOption {
  return {
    backgroundColor: 'transparent',
    color: palette,
    animationDuration: 400,
    animationDurationUpdate: 300,
    textStyle: { fontFamily: FONT_STACK, fontSize: px(ctx, 14), color: colors.text },
    tooltip: {
      backgroundColor: 'rgba(6, 22, 48, 0.94)',
      borderColor: colors.cyan,
      borderWidth: 1,
      padding: [px(ctx, 6), px(ctx, 10)],
      textStyle: { color: colors.text, fontSize: px(ctx, 14), fontFamily: FONT_STACK },
      confine: true,
    },
  };
}

export const axisLabel = (ctx: ChartContext) => ({ color: colors.dim, fontSize: px(ctx, 13), fontFamily: FONT_STACK });
export const splitLine = { lineStyle: { color: colors.faint } };

/** A tooltip line "● name value" with escaped text. */
export const tipLine = (marker: unknown, name: unknown, value: string): string =>
  `${typeof marker === 'string' ? marker : ''}${esc(name)}&nbsp;&nbsp;<b>${esc(value)}</b>`;

/** Narrows an ECharts callback parameter (or a list of them) to what our tooltips read. */
export interface TipParam {
  name: string;
  value: unknown;
  marker?: unknown;
  seriesName?: string;
  dataIndex: number;
  percent?: number;
}
export const tipParams = (p: unknown): TipParam[] => (Array.isArray(p) ? (p as TipParam[]) : [p as TipParam]);
