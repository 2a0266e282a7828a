// Rates as progress rings side by side (满意率, 按时办结率, 先行联系率 …). A null rate is "—", an empty ring.
import type { RateItem } from '../stores/figureViews';
import { base, colors, palette, px, type ChartContext, type ChartOption } from './theme';
import type { GaugeSeriesOption } from 'echarts/charts';

export function ratesOption(rates: RateItem[], ctx: ChartContext): ChartOption {
  const n = Math.max(1, rates.length);
  // Radius as a share of half the smaller side: rings side by side must not touch.
  const radius = n >= 3 ? '58%' : n === 2 ? '72%' : '80%';
  const series: GaugeSeriesOption[] = rates.map((r, i) => ({
    type: 'gauge',
    center: [`${((i + 0.5) * 100) / n}%`, '44%'],
    radius,
    // Not quite a full turn: a 360° arc degenerates and a 100 % ring would draw empty.
    startAngle: 90, endAngle: -269.9, min: 0, max: 100,
    pointer: { show: false },
    // Always shown: ECharts' gauge cannot switch its progress bar on in a later update (it throws
    // "reading '0'" and stops drawing), so a rate arriving after "no data" would never be drawn.
    progress: {
      show: true, roundCap: true, width: px(ctx, 10),
      itemStyle: { color: r.value !== null && r.value > 0 ? palette[i % palette.length] : 'transparent' },
    },
    axisLine: { lineStyle: { width: px(ctx, 10), color: [[1, 'rgba(80,140,200,0.16)']] } },
    splitLine: { show: false }, axisTick: { show: false }, axisLabel: { show: false },
    title: { show: true, offsetCenter: [0, '128%'], color: colors.dim, fontSize: px(ctx, 14) },
    detail: {
      valueAnimation: false, offsetCenter: [0, 0], color: colors.text, fontSize: px(ctx, n >= 3 ? 19 : 24), fontWeight: 'bold',
      formatter: () => (r.value === null ? '—' : `${(r.value * 100).toFixed(1)}%`),
    },
    data: [{ name: r.name, value: r.value === null ? 0 : Math.round(r.value * 1000) / 10 }],
  }));
  return { ...base(ctx), tooltip: { show: false }, series };
}
