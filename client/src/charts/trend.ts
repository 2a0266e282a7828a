// Hourly trend: today so far (solid, filled) against yesterday (dashed), 00–23 h; for a time range,
// the period's hours or days against the previous period.
import { t } from '../i18n';
import type { HourlySeries } from '../stores/figureViews';
import { axisLabel, base, colors, px, splitLine, tipLine, tipParams, type ChartContext, type ChartOption } from './theme';

export const HOURS = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));

export function trendOption(s: HourlySeries, ctx: ChartContext): ChartOption {
  const [today, yesterday] = s.names ?? [t('today', undefined, ctx.lang), t('yesterday', undefined, ctx.lang)];
  const labels = s.labels ?? HOURS;
  // Smoothing suits 24 hourly points; over a few days it would draw bumps that never happened.
  const smooth = labels.length >= 24 ? 0.3 : false;
  return {
    ...base(ctx),
    grid: { left: px(ctx, 40), right: px(ctx, 14), top: px(ctx, 34), bottom: px(ctx, 26) },
    legend: {
      top: 0, right: px(ctx, 6), itemWidth: px(ctx, 18), itemHeight: px(ctx, 8),
      textStyle: { color: colors.dim, fontSize: px(ctx, 13) },
      data: [today, yesterday],
    },
    tooltip: {
      ...base(ctx).tooltip,
      trigger: 'axis',
      formatter: (p: unknown) => {
        const list = tipParams(p);
        const at = list[0]?.name ?? '';
        return [s.labels ? at : `${at}:00`, ...list.map((x) => tipLine(x.marker, x.seriesName, x.value === null || x.value === undefined ? '—' : String(x.value)))].join('<br/>');
      },
    },
    xAxis: {
      type: 'category', data: labels, boundaryGap: false,
      axisLabel: { ...axisLabel(ctx), interval: labels.length === 24 ? 3 : 'auto' },
      axisLine: { lineStyle: { color: colors.faint } }, axisTick: { show: false },
    },
    yAxis: { type: 'value', minInterval: 1, axisLabel: axisLabel(ctx), splitLine, splitNumber: 3 },
    series: [
      {
        name: yesterday, type: 'line', data: s.yesterday, symbol: 'none', smooth,
        lineStyle: { color: colors.grey, width: px(ctx, 2), type: 'dashed' }, itemStyle: { color: colors.grey },
      },
      {
        name: today, type: 'line', data: s.today, symbol: 'circle', symbolSize: px(ctx, 5), smooth,
        lineStyle: { color: colors.cyan, width: px(ctx, 3) }, itemStyle: { color: colors.cyan },
        areaStyle: {
          color: { type: 'linear', x: 0, y: 0, x2: 0, y2: 1, colorStops: [{ offset: 0, color: 'rgba(34,211,238,0.45)' }, { offset: 1, color: 'rgba(34,211,238,0.02)' }] },
        },
      },
    ],
  };
}
