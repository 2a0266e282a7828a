// Alarms: raised by the server when an urgent event arrives and when an open case or ticket passes
// its deadline (on the clock); acknowledged by duty officers, broadcast to every screen.
import type { EntitySummary } from './protocol';

export const alarmKinds = ['urgent', 'overdue'] as const;
export type AlarmKind = (typeof alarmKinds)[number];

export interface Alarm {
  id: number;
  kind: AlarmKind;
  /** The entity's state when the alarm was last read. */
  entity: EntitySummary;
  raisedAt: string;
  ackedBy?: string;
  ackedAt?: string;
  /** The officer's note, masked like every free text sent to screens. */
  note?: string;
  /** Set when the entity closed before anyone acknowledged: no action needed any more. */
  clearedAt?: string;
}

/** Open = neither acknowledged nor cleared. Urgent first, then the oldest. */
export const isOpenAlarm = (a: Alarm) => !a.ackedAt && !a.clearedAt;
export function compareAlarms(a: Alarm, b: Alarm): number {
  if (a.kind !== b.kind) return a.kind === 'urgent' ? -1 : 1;
  return a.raisedAt < b.raisedAt ? -1 : a.raisedAt > b.raisedAt ? 1 : a.id - b.id;
}

/** alarm:ack payload; parsed on the server by alarmAckSchema (protocolSchemas.ts). */
export interface AlarmAck {
  id: number;
  /** at most 200 characters */
  note?: string;
}
