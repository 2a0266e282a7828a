// The case lifecycle funnel 发现 → 派单 → 处置 → 结案 for cases reported today.
import type { Item } from '../stores/figureViews';
import { base, colors, px, tipLine, tipParams, type ChartContext, type ChartOption } from './theme';

const stageColors = [colors.blue, colors.cyan, colors.teal, colors.green];

export function funnelOption(stages: Item[], ctx: ChartContext): ChartOption {
  const first = stages[0]?.value ?? 0;
  const pct = (v: number) => (first > 0 ? ` ${Math.round((v / first) * 100)}%` : '');
  return {
    ...base(ctx),
    tooltip: {
      ...base(ctx).tooltip,
      trigger: 'item',
      formatter: (p: unknown) => {
        const x = tipParams(p)[0]!;
        return tipLine(x.marker, x.name, `${String(x.value)}${pct(Number(x.value))}`);
      },
    },
    series: [
      {
        type: 'funnel', sort: 'none', left: '6%', right: '6%', top: px(ctx, 6), bottom: px(ctx, 6),
        minSize: '28%', maxSize: '100%', gap: px(ctx, 3),
        label: {
          show: true, position: 'inside', color: '#fff', fontSize: px(ctx, 14), fontWeight: 'bold',
          formatter: (p: unknown) => {
            const x = tipParams(p)[0]!;
            return `${x.name}  ${String(x.value)}${pct(Number(x.value))}`;
          },
        },
        itemStyle: { borderWidth: 0 },
        data: stages.map((s, i) => ({ name: s.name, value: s.value, itemStyle: { color: stageColors[i % stageColors.length] } })),
      },
    ],
  };
}
