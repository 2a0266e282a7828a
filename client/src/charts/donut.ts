// A donut with its legend beside it: source mix, ticket types, inspection outcomes.
import type { Item } from '../stores/figureViews';
import { base, colors, esc, palette, px, tipParams, type ChartContext, type ChartOption } from './theme';

export function donutOption(items: Item[], ctx: ChartContext, colorList: string[] = palette): ChartOption {
  const total = items.reduce((s, i) => s + i.value, 0);
  const byName = new Map(items.map((i) => [i.name, i.value]));
  return {
    ...base(ctx),
    color: colorList,
    tooltip: {
      ...base(ctx).tooltip,
      trigger: 'item',
      formatter: (p: unknown) => {
        const x = tipParams(p)[0]!;
        return `${typeof x.marker === 'string' ? x.marker : ''}${esc(x.name)}&nbsp;&nbsp;<b>${esc(x.value)}</b>&nbsp;(${(x.percent ?? 0).toFixed(1)}%)`;
      },
    },
    legend: {
      show: total > 0,
      orient: 'vertical', right: px(ctx, 4), top: 'middle', icon: 'circle',
      itemWidth: px(ctx, 10), itemHeight: px(ctx, 10), itemGap: px(ctx, 8),
      textStyle: { color: colors.text, fontSize: px(ctx, 13) },
      formatter: (name: string) => `${name}  ${byName.get(name) ?? 0}`,
    },
    series: [
      {
        type: 'pie', radius: ['48%', '74%'], center: ['30%', '52%'], avoidLabelOverlap: true, showEmptyCircle: false,
        itemStyle: { borderColor: '#071a33', borderWidth: px(ctx, 2) },
        label: {
          show: total > 0, position: 'center', formatter: () => String(total),
          color: colors.text, fontSize: px(ctx, 22), fontWeight: 'bold',
        },
        labelLine: { show: false },
        emphasis: { scale: true, scaleSize: px(ctx, 4) },
        // No slices at all when there is nothing to share out (the panel says "no data").
        data: total > 0 ? items.map((i) => ({ name: i.name, value: i.value })) : [],
      },
    ],
  };
}
