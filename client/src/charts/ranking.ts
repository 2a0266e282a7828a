// A horizontal ranking (top first): areas, 居民区, grids, categories, hotline topics.
// Bars are clickable; `items[dataIndex]` is what was clicked (the y axis is inverted, not the data).
import type { Item } from '../stores/figureViews';
import { axisLabel, base, colors, px, tipLine, tipParams, type ChartContext, type ChartOption } from './theme';

export function rankingOption(items: Item[], ctx: ChartContext, opts: { highlight?: string; color?: string } = {}): ChartOption {
  const color = opts.color ?? colors.cyan;
  return {
    ...base(ctx),
    grid: { left: px(ctx, 8), right: px(ctx, 44), top: px(ctx, 6), bottom: px(ctx, 4), containLabel: true },
    tooltip: {
      ...base(ctx).tooltip,
      trigger: 'item',
      formatter: (p: unknown) => {
        const x = tipParams(p)[0]!;
        return tipLine(x.marker, items[x.dataIndex]?.name ?? x.name, String(x.value));
      },
    },
    xAxis: { type: 'value', show: false, minInterval: 1 },
    yAxis: {
      type: 'category', inverse: true, data: items.map((i) => i.name),
      axisLabel: { ...axisLabel(ctx), color: colors.text, width: px(ctx, 110), overflow: 'truncate' },
      axisLine: { show: false }, axisTick: { show: false },
    },
    series: [
      {
        type: 'bar', barWidth: '56%', cursor: 'pointer',
        showBackground: true, backgroundStyle: { color: 'rgba(80,140,200,0.08)', borderRadius: px(ctx, 3) },
        label: { show: true, position: 'right', color: colors.text, fontSize: px(ctx, 13), fontWeight: 'bold' },
        data: items.map((i) => ({
          value: i.value,
          itemStyle: {
            borderRadius: px(ctx, 3),
            color: i.id === opts.highlight ? colors.amber
              : { type: 'linear', x: 0, y: 0, x2: 1, y2: 0, colorStops: [{ offset: 0, color: 'rgba(59,130,246,0.55)' }, { offset: 1, color }] },
          },
        })),
      },
    ],
  };
}
