import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The private temporary media directory of a server given no `mediaDir`, and the reclaiming of
 * those that crashed servers left behind.
 *
 * A server deletes its own directory on `close()`; one that crashes or is killed cannot, and its
 * media (up to the quotas, for 7 days) would stay in the OS temp directory for good. So each
 * directory is named `rtm-kit-media-<pid>-<random>` and holds an `owner.json` with that pid and
 * the host name, and every server, before it makes its own, removes the directories of that form
 * whose owner was this host and whose pid is no longer alive.
 *
 * Choice: the host name guards against a temp directory shared by machines or containers (whose
 * pids mean nothing here); a directory without a readable owner file (an older version's, or a
 * crash right at creation) is never touched. A pid reused by another process only delays the
 * reclaim until a later start.
 */
const PREFIX = 'rtm-kit-media-';
const NAME = /^rtm-kit-media-(\d{1,10})-[A-Za-z0-9]{6}$/;
const OWNER_FILE = 'owner.json';

/** Make a new private media directory under `root`, after reclaiming abandoned ones there. */
export async function createTempMediaDir(root: string = tmpdir()): Promise<string> {
  await reclaimTempMediaDirs(root);
  const dir = await mkdtemp(join(root, `${PREFIX}${process.pid}-`));
  await writeFile(join(dir, OWNER_FILE), JSON.stringify({ pid: process.pid, host: hostname() }));
  return dir;
}

/**
 * Remove the media directories under `root` whose owning server on this host is gone. Returns
 * the paths removed; a directory that cannot be read or removed is left alone.
 */
export async function reclaimTempMediaDirs(root: string = tmpdir(), isAlive: (pid: number) => boolean = processIsAlive): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    // A directory entry itself, never a symbolic link to one.
    const match = entry.isDirectory() ? NAME.exec(entry.name) : null;
    if (!match) continue;
    const pid = Number(match[1]);
    const dir = join(root, entry.name);
    const owner = await readOwner(dir);
    if (!owner || owner.pid !== pid || owner.host !== hostname() || isAlive(pid)) continue;
    try {
      await rm(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // Someone else's, or in use: not ours to force.
    }
  }
  return removed;
}

async function readOwner(dir: string): Promise<{ pid: number; host: string } | null> {
  try {
    const value = JSON.parse(await readFile(join(dir, OWNER_FILE), 'utf8')) as { pid?: unknown; host?: unknown };
    return typeof value.pid === 'number' && typeof value.host === 'string' ? { pid: value.pid, host: value.host } : null;
  } catch {
    return null;
  }
}

/** Signal 0 tests for a process without touching it: ESRCH means none, EPERM someone else's. */
function processIsAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
