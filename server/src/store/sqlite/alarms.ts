// Alarms in the same SQLite file as the entities they watch. A scan, driven by the clock, raises
// what is due and clears what closed; being a scan (not a reaction to one event) it also catches
// up after a crash between an event's commit and its alarm. The first scan of a writer checks every
// entity; each later one only the entities committed since and the deadlines passed since.
import type Database from 'better-sqlite3';
import type { Alarm, AlarmKind } from '#shared/alarms';
import { ALARM_COLUMNS, CHANGED_SINCE, NO_ALARM, overdueFrom, toAlarm, type AlarmRow, type ScanCursor } from '../alarmRows';
import type { AlarmStore } from '../types';
import { lastSeqStatement } from './db';

/** The alarm store, synchronous as better-sqlite3 is (index.ts makes it the async contract). */
type SyncAlarms = { [K in keyof AlarmStore]: (...args: Parameters<AlarmStore[K]>) => Awaited<ReturnType<AlarmStore[K]>> };

const SELECT = `SELECT ${ALARM_COLUMNS} FROM alarms a JOIN entities e ON e.kind = a.entity_kind AND e.id = a.entity_id`;

export function createSqliteAlarms(db: Database.Database): SyncAlarms {
  const q = {
    dueUrgent: db.prepare<[], [string, string]>(`SELECT e.kind, e.id FROM entities e WHERE e.open = 1 AND e.urgent = 1 AND ${NO_ALARM('urgent')}`).raw(),
    dueOverdue: db.prepare<[number, number], [string, string]>(
      `SELECT e.kind, e.id FROM entities e WHERE e.open = 1 AND e.due_at <= ? AND e.due_at > ? AND e.kind IN ('case', 'ticket') AND ${NO_ALARM('overdue')}`).raw(),
    insert: db.prepare<[string, string, string, number]>('INSERT OR IGNORE INTO alarms (kind, entity_kind, entity_id, raised_at) VALUES (?, ?, ?, ?)'),
    toClear: db.prepare<[], number>(`SELECT a.id FROM alarms a JOIN entities e ON e.kind = a.entity_kind AND e.id = a.entity_id
      WHERE a.acked_at IS NULL AND a.cleared_at IS NULL AND e.open = 0`).pluck(),
    // the same three, over the entities committed after a seq (CROSS JOIN: SQLite keeps that order)
    changedUrgent: db.prepare<[number], [string, string]>(`WITH ${CHANGED_SINCE('?')} SELECT DISTINCT e.kind, e.id FROM changed c
      CROSS JOIN entities e ON e.kind = c.kind AND e.id = c.id WHERE e.open = 1 AND e.urgent = 1 AND ${NO_ALARM('urgent')}`).raw(),
    changedOverdue: db.prepare<[number, number, number], [string, string]>(`WITH ${CHANGED_SINCE('?')} SELECT DISTINCT e.kind, e.id FROM changed c
      CROSS JOIN entities e ON e.kind = c.kind AND e.id = c.id
      WHERE e.open = 1 AND e.due_at <= ? AND e.due_at > ? AND e.kind IN ('case', 'ticket') AND ${NO_ALARM('overdue')}`).raw(),
    changedClosed: db.prepare<[number], number>(`WITH ${CHANGED_SINCE('?')} SELECT DISTINCT a.id FROM changed c
      CROSS JOIN entities e ON e.kind = c.kind AND e.id = c.id
      JOIN alarms a ON a.kind IN ('urgent', 'overdue') AND a.entity_kind = e.kind AND a.entity_id = e.id
      WHERE e.open = 0 AND a.acked_at IS NULL AND a.cleared_at IS NULL ORDER BY a.id`).pluck(),
    maxSeq: lastSeqStatement(db),
    clear: db.prepare<[number, number]>('UPDATE alarms SET cleared_at = ? WHERE id = ?'),
    byId: db.prepare<[number], AlarmRow>(`${SELECT} WHERE a.id = ?`),
    active: db.prepare<[number], AlarmRow>(`${SELECT} WHERE a.acked_at IS NULL AND a.cleared_at IS NULL
      ORDER BY a.kind = 'urgent' DESC, a.raised_at, a.id LIMIT ?`),
    openCount: db.prepare<[], number>('SELECT count(*) FROM alarms WHERE acked_at IS NULL AND cleared_at IS NULL').pluck(), // the partial index alarms_active
    ack: db.prepare<[string, number, string | null, number]>('UPDATE alarms SET acked_by = ?, acked_at = ?, note = ? WHERE id = ? AND acked_at IS NULL'),
  };

  /** Where the last scan stopped; none before the first (which checks everything). */
  let last: ScanCursor | undefined;
  const scanFrom = db.transaction((nowMs: number, since: ScanCursor | undefined): { alarms: Alarm[]; cursor: ScanCursor } => {
    const cursor = { seq: q.maxSeq.get()!, nowMs };
    const changed: number[] = [];
    const raise = (kind: AlarmKind, rows: Array<[string, string]>) => {
      for (const [entityKind, id] of rows) {
        const r = q.insert.run(kind, entityKind, id, nowMs);
        if (r.changes) changed.push(Number(r.lastInsertRowid));
      }
    };
    // Urgent: entities are urgent (or not) by their events. Overdue: by their events, or by the clock
    // passing their deadline. Closed: by their events.
    const from = overdueFrom(nowMs, since);
    raise('urgent', since ? q.changedUrgent.all(since.seq) : q.dueUrgent.all());
    raise('overdue', q.dueOverdue.all(nowMs, from));
    if (since) raise('overdue', q.changedOverdue.all(since.seq, nowMs, overdueFrom(nowMs, undefined)));
    for (const id of since ? q.changedClosed.all(since.seq) : q.toClear.all()) {
      q.clear.run(nowMs, id);
      changed.push(id);
    }
    return { alarms: changed.map((id) => toAlarm(q.byId.get(id)!)), cursor };
  });
  /** The cursor moves only with a scan that committed. */
  const scan = (nowMs: number): Alarm[] => {
    const { alarms, cursor } = scanFrom(nowMs, last);
    last = cursor;
    return alarms;
  };

  return {
    scan,
    active: (limit) => q.active.all(limit).map(toAlarm),
    openCount: () => q.openCount.get()!,
    get: (id) => {
      const row = q.byId.get(id);
      return row && toAlarm(row);
    },
    ack(id, who, note, nowMs) {
      // One conditional update: whoever's update changes the row wins.
      if (q.ack.run(who, nowMs, note ?? null, id).changes === 1) return { ok: true, alarm: toAlarm(q.byId.get(id)!) };
      return { ok: false, error: q.byId.get(id) ? 'already_acknowledged' : 'not_found' };
    },
  };
}
