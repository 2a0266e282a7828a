// Inspections per campaign today: passed and to-rectify, stacked.
import { t } from '../i18n';
import type { CampaignRow } from '../stores/figureViews';
import { axisLabel, base, colors, esc, px, tipParams, type ChartContext, type ChartOption } from './theme';

export function campaignOption(rows: CampaignRow[], ctx: ChartContext): ChartOption {
  const passed = t('insp.done', undefined, ctx.lang);
  const failed = t('insp.failed', undefined, ctx.lang);
  return {
    ...base(ctx),
    grid: { left: px(ctx, 8), right: px(ctx, 30), top: px(ctx, 30), bottom: px(ctx, 4), containLabel: true },
    legend: { top: 0, right: px(ctx, 6), itemWidth: px(ctx, 14), itemHeight: px(ctx, 8), textStyle: { color: colors.dim, fontSize: px(ctx, 13) } },
    tooltip: {
      ...base(ctx).tooltip,
      trigger: 'axis', axisPointer: { type: 'shadow' },
      formatter: (p: unknown) => {
        const list = tipParams(p);
        const row = rows[list[0]?.dataIndex ?? 0];
        return row ? `${esc(row.name)}<br/>${esc(passed)} <b>${row.done}</b><br/>${esc(failed)} <b>${row.failed}</b>` : '';
      },
    },
    xAxis: { type: 'value', show: false, minInterval: 1 },
    yAxis: {
      type: 'category', inverse: true, data: rows.map((r) => r.name),
      axisLabel: { ...axisLabel(ctx), color: colors.text, width: px(ctx, 150), overflow: 'truncate' },
      axisLine: { show: false }, axisTick: { show: false },
    },
    series: [
      { name: passed, type: 'bar', stack: 'n', barWidth: '52%', itemStyle: { color: colors.teal }, data: rows.map((r) => r.done - r.failed) },
      {
        name: failed, type: 'bar', stack: 'n', itemStyle: { color: colors.amber, borderRadius: [0, px(ctx, 3), px(ctx, 3), 0] },
        label: { show: true, position: 'right', color: colors.text, fontSize: px(ctx, 13), formatter: (p: unknown) => String(rows[tipParams(p)[0]!.dataIndex]?.done ?? '') },
        data: rows.map((r) => r.failed),
      },
    ],
  };
}
