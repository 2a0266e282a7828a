// Every rejected line, `file:line: reason`, kept for the summary in file order. Memory is bounded:
// past HELD lines they go to a temporary file, read back when the summary is printed.
import { appendFileSync, createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const HELD = 1000;

export class RejectLog {
  private held: string[] = [];
  private spill?: string;
  count = 0;

  add(where: string, reason: string) {
    this.count += 1;
    this.held.push(`${where}: ${reason}\n`);
    if (this.held.length >= HELD) {
      this.spill ??= join(mkdtempSync(join(tmpdir(), 'onescreen-import-')), 'rejected.txt');
      appendFileSync(this.spill, this.held.join(''));
      this.held = [];
    }
  }

  async print(out: Writable) {
    if (this.spill) await pipeline(createReadStream(this.spill), out, { end: false });
    for (const l of this.held) out.write(l);
  }

  close() {
    if (this.spill) rmSync(join(this.spill, '..'), { recursive: true, force: true });
  }
}
