// The context chart option builders need: the wall scale and the language.
import { computed } from 'vue';
import type { ChartContext } from '../charts/theme';
import { getLang } from '../i18n';
import { useScale } from './useScale';

export function useChartContext() {
  const u = useScale();
  return computed<ChartContext>(() => ({ u: u.value, lang: getLang() }));
}
