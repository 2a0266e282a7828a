// Chart options for the printed briefing: white paper, dark text, no animation (printing and PDF
// capture the first frame), sizes in plain CSS px.
import { t } from '../i18n';
import type { HourlySeries, Item } from '../stores/figureViews';
import type { ChartOption } from './theme';
import { FONT_STACK } from './theme';

const ink = '#0f172a';
const grey = '#64748b';
const base: ChartOption = {
  animation: false,
  backgroundColor: '#ffffff',
  textStyle: { fontFamily: FONT_STACK, color: ink, fontSize: 12 },
};

export function briefingTrendOption(s: HourlySeries): ChartOption {
  const [cur, prev] = s.names ?? [t('range.current'), t('range.previous')];
  return {
    ...base,
    grid: { left: 40, right: 16, top: 30, bottom: 24 },
    legend: { top: 0, right: 0, data: [cur, prev], textStyle: { color: grey } },
    xAxis: { type: 'category', data: s.labels, boundaryGap: false, axisLabel: { color: grey }, axisLine: { lineStyle: { color: '#cbd5e1' } } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { color: grey }, splitLine: { lineStyle: { color: '#e2e8f0' } } },
    series: [
      { name: prev, type: 'line', data: s.yesterday, symbol: 'none', lineStyle: { color: '#94a3b8', type: 'dashed', width: 2 }, itemStyle: { color: '#94a3b8' } },
      { name: cur, type: 'line', data: s.today, symbol: 'circle', symbolSize: 4, lineStyle: { color: '#0369a1', width: 2.5 }, itemStyle: { color: '#0369a1' }, areaStyle: { color: 'rgba(3,105,161,0.12)' } },
    ],
  };
}

export function briefingBarOption(items: Item[]): ChartOption {
  return {
    ...base,
    grid: { left: 8, right: 40, top: 4, bottom: 4, containLabel: true },
    xAxis: { type: 'value', show: false, minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: items.map((i) => i.name), axisLabel: { color: ink }, axisLine: { show: false }, axisTick: { show: false } },
    series: [{ type: 'bar', barWidth: '60%', data: items.map((i) => i.value), itemStyle: { color: '#0e7490', borderRadius: 2 }, label: { show: true, position: 'right', color: ink } }],
  };
}
