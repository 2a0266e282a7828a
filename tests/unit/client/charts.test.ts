import { describe, expect, it } from 'vitest';
import { campaignOption } from '../../../client/src/charts/campaigns';
import { donutOption } from '../../../client/src/charts/donut';
import { funnelOption } from '../../../client/src/charts/funnel';
import { rankingOption } from '../../../client/src/charts/ranking';
import { ratesOption } from '../../../client/src/charts/rates';
import { trendOption } from '../../../client/src/charts/trend';
import type { ChartContext } from '../../../client/src/charts/theme';

const ctx: ChartContext = { u: 2, lang: 'zh' };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const series = (o: { series?: unknown }): any[] => (Array.isArray(o.series) ? o.series : [o.series]);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn = (p: any) => string;

describe('chart option builders', () => {
  it('trend: today (future hours empty) against yesterday, sizes in design px × u', () => {
    const today = [1, 2, 3, ...Array<null>(21).fill(null)];
    const yesterday = Array.from({ length: 24 }, (_, h) => h);
    const o = trendOption({ today, yesterday }, ctx);
    const [y, t] = series(o);
    expect(t.name).toBe('今日');
    expect(t.data.slice(0, 4)).toEqual([1, 2, 3, null]);
    expect(y.data[23]).toBe(23);
    expect(t.lineStyle.width).toBe(6); // 3 design px at u = 2
    expect((o.textStyle as { fontSize: number }).fontSize).toBe(28);
    expect(trendOption({ today, yesterday }, { u: 1, lang: 'en' }).legend).toMatchObject({ data: ['Today', 'Yesterday'] });
  });

  it('ranking: bars in item order with the selected one highlighted; tooltip text escaped', () => {
    const items = [{ id: 'A2', name: '新泾片区', value: 9 }, { id: 'A1', name: '<b>x</b>', value: 4 }];
    const o = rankingOption(items, ctx, { highlight: 'A1' });
    const bars = series(o)[0];
    expect(bars.data.map((d: { value: number }) => d.value)).toEqual([9, 4]);
    expect(bars.data[1].itemStyle.color).toBe('#fbbf24');
    expect((o.yAxis as { data: string[] }).data).toEqual(['新泾片区', '<b>x</b>']);
    const tip = ((o.tooltip as { formatter: Fn }).formatter)({ dataIndex: 1, name: '<b>x</b>', value: 4, marker: '' });
    expect(tip).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(tip).not.toContain('<b>x');
  });

  it('donut: values and total; nothing drawn when all are zero', () => {
    const o = donutOption([{ id: 'smart', name: '智能发现', value: 6 }, { id: 'patrol', name: '网格员巡查', value: 4 }], ctx);
    const pie = series(o)[0];
    expect(pie.data).toEqual([{ name: '智能发现', value: 6 }, { name: '网格员巡查', value: 4 }]);
    expect(pie.label.formatter()).toBe('10');
    expect(series(donutOption([{ id: 'a', name: 'a', value: 0 }], ctx))[0].data).toEqual([]);
  });

  it('funnel: stages in lifecycle order with conversion from the first', () => {
    const stages = [
      { id: 'case.new', name: '发现', value: 20 }, { id: 'd', name: '派单', value: 15 },
      { id: 'h', name: '处置', value: 10 }, { id: 'c', name: '结案', value: 5 },
    ];
    const f = series(funnelOption(stages, ctx))[0];
    expect(f.sort).toBe('none');
    expect(f.data.map((d: { value: number }) => d.value)).toEqual([20, 15, 10, 5]);
    expect((f.label.formatter as Fn)({ name: '结案', value: 5, dataIndex: 3 })).toBe('结案  5 25%');
  });

  it('rates: a null rate reads "—" and draws no visible progress (the bar stays on for a later rate)', () => {
    const s = series(ratesOption([{ id: 's', name: '满意率', value: 0.934 }, { id: 'o', name: '按时办结率', value: null }], ctx));
    expect(s[0].data[0].value).toBe(93.4);
    expect(s[0].detail.formatter()).toBe('93.4%');
    expect(s[1].detail.formatter()).toBe('—');
    expect(s[1].progress.show).toBe(true); // ECharts cannot turn it on in a later update
    expect(s[1].progress.itemStyle.color).toBe('transparent');
    expect(s[0].progress.itemStyle.color).not.toBe('transparent');
  });

  it('campaigns: passed and to-rectify stacked per campaign', () => {
    const s = series(campaignOption([{ id: 'sewage', name: '污水', done: 7, failed: 2 }], ctx));
    expect(s[0].data).toEqual([5]);
    expect(s[1].data).toEqual([2]);
    expect(s[0].stack).toBe(s[1].stack);
  });
});
