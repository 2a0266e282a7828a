// Which panels each topic shows beside the map; a wall gets a second column on each side with
// panels of the other topics, so nothing is hidden on a wide wall.
import type { Topic } from '../params';

export const panelIds = [
  'trend', 'sourceMix', 'funnel', 'categoryRanking', 'areaRanking', 'hotlineTopics', 'ticketTypes', 'satisfaction',
  'campaigns', 'outcomes', 'inspectionRates',
] as const;
export type PanelId = (typeof panelIds)[number];

export const topicPanels: Record<Topic, { left: PanelId[]; right: PanelId[] }> = {
  overview: { left: ['trend', 'sourceMix', 'funnel'], right: ['areaRanking', 'categoryRanking'] },
  cases: { left: ['trend', 'categoryRanking', 'funnel'], right: ['areaRanking', 'sourceMix'] },
  hotline: { left: ['trend', 'hotlineTopics', 'ticketTypes'], right: ['satisfaction', 'areaRanking'] },
  inspections: { left: ['trend', 'campaigns', 'outcomes'], right: ['inspectionRates', 'areaRanking'] },
};

/** Panels for a wall's outer columns: those the topic does not show, three per side. */
export function wallPanels(topic: Topic): { farLeft: PanelId[]; farRight: PanelId[] } {
  const shown = new Set([...topicPanels[topic].left, ...topicPanels[topic].right]);
  const rest = panelIds.filter((p) => !shown.has(p));
  return { farLeft: rest.slice(0, 3), farRight: rest.slice(3, 6) };
}
