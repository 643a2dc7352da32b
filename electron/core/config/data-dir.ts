/**
 * One data folder for the desktop app and headless mode: "Leadbell" in the OS's app-data folder
 * (Electron's userData is <appData>/<productName>; env.ts's defaultDataDir names the same one).
 * Before productName was set, the desktop app used "leadbell"; on Linux (case-sensitive) that is
 * another folder. Settled once at start, before anything opens either folder:
 * - only the old one holds Leadbell's data: it moves to the new name (nothing else changes);
 * - both hold data: nothing is moved, merged or deleted; the new one is used and the owner is
 *   told where the other is and how to switch.
 * The desktop app calls this before Electron's `ready`, while Chromium has written nothing to
 * userData yet (it may still be changed then, docs/api/app.md, app.setPath).
 */
import fs from 'node:fs';
import path from 'node:path';
import { DB_FILE } from '../storage/database.js';
import { KEY_FILE } from '../secrets/cipher.js';

export const OLD_DIR_NAME = 'leadbell';
/** What makes a folder Leadbell's: its database, or the key its secrets were sealed with. */
const OURS = [DB_FILE, KEY_FILE];

export interface DataDirOutcome {
  dir: string;
  action: 'none' | 'moved' | 'both';
  /** For the owner (a notification, the terminal); null when nothing happened. */
  note: string | null;
}

const movedNote = (old: string, dir: string) =>
  `Leadbell's data moved from ${old} to ${dir}, the one folder the desktop app and the background service (npm run serve) now share.`;

const holdsData = (dir: string) => OURS.some((f) => fs.existsSync(path.join(dir, f)));

function sameFolder(a: string, b: string): boolean {
  // macOS and Windows folders are usually case-insensitive: "leadbell" may already be "Leadbell".
  const sa = fs.statSync(a);
  const sb = fs.statSync(b, { throwIfNoEntry: false });
  return sb !== undefined && sa.ino === sb.ino && sa.dev === sb.dev;
}

export function settleDataDir(dir: string): DataDirOutcome {
  const old = path.join(path.dirname(dir), OLD_DIR_NAME);
  try {
    return settle(dir, old);
  } catch (e) {
    return { dir, action: 'none', note: `Leadbell could not move its data from ${old} to ${dir} (${(e as Error).message}), so it starts with ${dir}. Quit Leadbell and move the folder's contents by hand.` };
  }
}

function settle(dir: string, old: string): DataDirOutcome {
  if (old === dir || !fs.existsSync(old) || sameFolder(old, dir) || !holdsData(old)) return { dir, action: 'none', note: null };
  if (!fs.existsSync(dir)) {
    fs.renameSync(old, dir);
    return { dir, action: 'moved', note: movedNote(old, dir) };
  }
  if (!holdsData(dir)) {
    // The new folder exists but holds none of Leadbell's data (an empty or cache-only folder):
    // everything moves in, except names already there, which stay behind in the old folder.
    for (const name of fs.readdirSync(old)) {
      if (!fs.existsSync(path.join(dir, name))) fs.renameSync(path.join(old, name), path.join(dir, name));
    }
    if (!fs.readdirSync(old).length) fs.rmdirSync(old);
    return { dir, action: 'moved', note: movedNote(old, dir) };
  }
  return {
    dir,
    action: 'both',
    note:
      `Two Leadbell data folders were found: ${dir} and ${old} (the desktop app's before this version). ` +
      `Leadbell now uses ${dir} in the desktop app and the background service alike; ${old} was left as it was. ` +
      `To use the leads in ${old} instead, quit Leadbell, move ${dir} somewhere else, and rename ${old} to ${path.basename(dir)}.`,
  };
}
