/**
 * Disk trouble on demand, for a process that may run as root (where chmod changes nothing):
 * a small tmpfs mount that can be filled to the last byte, and the immutable attribute, which
 * makes the kernel refuse writes even to files already open for writing, as a filesystem gone
 * read-only does. Each helper says why it is unavailable instead of failing.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type Availability<T> = { ok: true; value: T } | { ok: false; reason: string };

function run(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function why(err: unknown): string {
  const e = err as { stderr?: Buffer; message: string };
  return (e.stderr?.toString().trim() || e.message).split('\n')[0]!;
}

export interface SmallDisk {
  dir: string;
  /** Writes a filler file until the filesystem reports it is full. */
  fill(): void;
  /** Deletes the filler: the space is back. */
  free(): void;
  unmount(): void;
}

/** A tmpfs of `bytes` mounted on a fresh folder (needs mount privileges). */
export function smallDisk(bytes: number): Availability<SmallDisk> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadbell-disk-'));
  try {
    run('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0700`, 'tmpfs', dir]);
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    return { ok: false, reason: `cannot mount a small tmpfs here (${why(err)})` };
  }
  const filler = path.join(dir, 'filler.bin');
  return {
    ok: true,
    value: {
      dir,
      fill() {
        const fd = fs.openSync(filler, 'a');
        const chunk = Buffer.alloc(64 * 1024);
        try {
          for (let size = chunk.length; size >= 512; ) {
            try {
              fs.writeSync(fd, chunk, 0, size);
            } catch (err) {
              if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
              size /= 2; // the last few blocks, in smaller writes
            }
          }
        } finally {
          fs.closeSync(fd);
        }
      },
      free() {
        fs.rmSync(filler, { force: true });
      },
      unmount() {
        try {
          run('umount', [dir]);
        } catch {
          run('umount', ['-l', dir]);
        }
        fs.rmSync(dir, { recursive: true, force: true });
      },
    },
  };
}

/**
 * Sets or clears the immutable attribute. Immutable files refuse every write, even through a
 * descriptor opened earlier and even for root; an immutable folder refuses new files.
 */
export function setImmutable(paths: string[], on: boolean): void {
  run('chattr', [on ? '+i' : '-i', ...paths]);
}

/**
 * Whether the immutable attribute refuses writes through an already open descriptor in this
 * folder: it needs privileges and a filesystem that checks it on write (ext4 does, tmpfs not).
 */
export function immutableRefusesWrites(dir: string): Availability<true> {
  const probe = path.join(dir, '.immutable-probe');
  const fd = fs.openSync(probe, 'w');
  try {
    setImmutable([probe], true);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(probe, { force: true });
    return { ok: false, reason: `cannot set the immutable attribute here (${why(err)})` };
  }
  try {
    fs.writeSync(fd, 'x');
    return { ok: false, reason: 'this filesystem lets open files be written despite the immutable attribute' };
  } catch {
    return { ok: true, value: true };
  } finally {
    fs.closeSync(fd);
    setImmutable([probe], false);
    fs.rmSync(probe, { force: true });
  }
}
