// What search matches besides the id: the address masked as screens see it (docs/privacy.md), so a
// search cannot find what a screen does not show — as in the SQLite file (server/src/store/sqlite/db.ts,
// version 5). The writer (server/src/store/postgres/append.ts) sets it with every entity row; here it
// is computed from the stored addresses, in batches along the primary key. Masking is JavaScript
// (shared/src/textMask.ts), so this migration reads and writes the rows itself.
import type { MigrationBuilder } from 'node-pg-migrate';
import { maskText } from '#shared/privacy';

const BATCH = 5_000;

export async function up(pgm: MigrationBuilder): Promise<void> {
  // NOT NULL DEFAULT '': instant (no table rewrite), and a node of the previous version writing
  // during a rolling upgrade stores '' (its rows unfound by address until written again) instead of failing.
  await pgm.db.query(`ALTER TABLE entities ADD COLUMN search_text text COLLATE "C" NOT NULL DEFAULT ''`);
  let after = ['', ''];
  for (;;) {
    const rows = (await pgm.db.select(
      `SELECT kind, id, address FROM entities WHERE (kind, id) > ($1, $2) ORDER BY kind, id LIMIT ${BATCH}`, after,
    )) as Array<{ kind: string; id: string; address: string }>;
    if (!rows.length) return;
    await pgm.db.query(
      `UPDATE entities e SET search_text = x.t FROM unnest($1::text[], $2::text[], $3::text[]) AS x(k, i, t)
       WHERE e.kind = x.k AND e.id = x.i`,
      [rows.map((r) => r.kind), rows.map((r) => r.id), rows.map((r) => maskText(r.address))],
    );
    const last = rows.at(-1)!;
    after = [last.kind, last.id];
  }
}

export function down(pgm: MigrationBuilder): void {
  pgm.sql('ALTER TABLE entities DROP COLUMN search_text;');
}
