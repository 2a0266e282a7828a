// A small tmpfs of its own for full-disk tests (mounting needs root: CI runs as root, .ci/run), with
// a filler file that takes every free byte. Unmounted by unmount(), and when the test process exits
// even after a timed-out hook.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const mounted = new Set<string>();
process.on('exit', () => {
  for (const dir of mounted) {
    try {
      execFileSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // gone already
    }
  }
});

export interface Tmpfs {
  dir: string;
  /** Free bytes on it now. */
  freeBytes(): number;
  /** Writes a filler file until the disk refuses a single byte more; the bytes written. */
  fill(): number;
  /** Deletes the filler: the disk has room again. */
  free(): void;
  unmount(): void;
}

export function mountTmpfs(sizeMb: number): Tmpfs {
  if (process.getuid?.() !== 0) throw new Error('the full-disk tests mount a tmpfs and need root (CI runs as root: .ci/run)');
  const dir = mkdtempSync(join(tmpdir(), 'onescreen-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0755`, 'tmpfs', dir]);
  mounted.add(dir);
  const filler = join(dir, 'filler');
  return {
    dir,
    freeBytes() {
      const s = statfsSync(dir);
      return s.bavail * s.bsize;
    },
    fill() {
      const fd = openSync(filler, 'a');
      const chunk = Buffer.alloc(1024 * 1024, 0x55);
      let written = 0;
      try {
        for (const size of [chunk.length, 4096, 1]) {
          try {
            for (;;) written += writeSync(fd, chunk, 0, size);
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
          }
        }
      } finally {
        closeSync(fd);
      }
      return written;
    },
    free: () => rmSync(filler, { force: true }),
    unmount() {
      if (!mounted.delete(dir)) return;
      execFileSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
