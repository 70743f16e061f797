import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer } from '@rtm-kit/server';
import { reclaimTempMediaDirs } from '../../src/media/temp-dir.js';

/**
 * Runs a Node process that makes a media directory the way a server does and exits without
 * removing it, as a crashed server would; returns the directory's name.
 */
function crashedServerDir(root: string): string {
  const script = `
    const fs = require('node:fs'), path = require('node:path'), os = require('node:os');
    const dir = fs.mkdtempSync(path.join(process.argv[1], 'rtm-kit-media-' + process.pid + '-'));
    fs.writeFileSync(path.join(dir, 'owner.json'), JSON.stringify({ pid: process.pid, host: os.hostname() }));
    fs.mkdirSync(path.join(dir, 'media'));
    fs.writeFileSync(path.join(dir, 'media', 'left-behind'), 'x'.repeat(1000));
    process.stdout.write(path.basename(dir));
    process.exit(1);
  `;
  const child = spawnSync(process.execPath, ['-e', script, root], { encoding: 'utf8' });
  if (!/^rtm-kit-media-\d+-[A-Za-z0-9]{6}$/.test(child.stdout)) throw new Error(`the child made no directory: ${child.stderr}`);
  return child.stdout;
}

async function ownedDir(root: string, name: string, owner: object | null): Promise<void> {
  await mkdir(join(root, name, 'media'), { recursive: true });
  if (owner) await writeFile(join(root, name, 'owner.json'), JSON.stringify(owner));
}

describe('the default temporary media directory', () => {
  let root: string;
  const savedTmpdir = process.env.TMPDIR;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'rtm-media-root-'));
  });
  afterEach(async () => {
    if (savedTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmpdir;
    await rm(root, { recursive: true, force: true });
  });

  it('reclaims what a dead server on this host left, and nothing else', async () => {
    const crashed = crashedServerDir(root);
    const deadPid = Number(crashed.split('-')[3]);
    // Left alone: a live owner, another host's, one without an owner file, an older version's,
    // one whose name and owner disagree, and a link that only looks like a directory of ours.
    await ownedDir(root, `rtm-kit-media-${process.pid}-Live01`, { pid: process.pid, host: hostname() });
    await ownedDir(root, `rtm-kit-media-${deadPid}-Other1`, { pid: deadPid, host: `not-${hostname()}` });
    await ownedDir(root, `rtm-kit-media-${deadPid}-NoOwnr`, null);
    await ownedDir(root, 'rtm-kit-media-Ab12Cd', null);
    await ownedDir(root, `rtm-kit-media-${deadPid}-Misfit`, { pid: deadPid + 1, host: hostname() });
    await ownedDir(root, 'elsewhere', { pid: deadPid, host: hostname() });
    await symlink(join(root, 'elsewhere'), join(root, `rtm-kit-media-${deadPid}-Linked`));

    const removed = await reclaimTempMediaDirs(root);
    expect(removed).toEqual([join(root, crashed)]);
    expect((await readdir(root)).sort()).toEqual(
      [
        'elsewhere',
        'rtm-kit-media-Ab12Cd',
        `rtm-kit-media-${deadPid}-Linked`,
        `rtm-kit-media-${deadPid}-Misfit`,
        `rtm-kit-media-${deadPid}-NoOwnr`,
        `rtm-kit-media-${deadPid}-Other1`,
        `rtm-kit-media-${process.pid}-Live01`,
      ].sort(),
    );
    expect(await readdir(join(root, 'elsewhere'))).toEqual(['media', 'owner.json']);
  });

  it('is made by startServer under a reclaimable name, reclaims a crashed server’s first, and goes on close()', async () => {
    const crashed = crashedServerDir(root);
    process.env.TMPDIR = root;
    expect(tmpdir()).toBe(root);
    const server = await startServer({ port: 0, logger: false });
    try {
      const names = await readdir(root);
      expect(names).not.toContain(crashed);
      expect(names).toHaveLength(1);
      const own = names[0]!;
      expect(own).toMatch(new RegExp(`^rtm-kit-media-${process.pid}-[A-Za-z0-9]{6}$`));
      expect(JSON.parse(await readFile(join(root, own, 'owner.json'), 'utf8'))).toEqual({ pid: process.pid, host: hostname() });
      // A second server in the same (live) process leaves the first one's directory alone.
      const second = await startServer({ port: 0, logger: false });
      expect(await readdir(root)).toHaveLength(2);
      await second.close();
      expect(await readdir(root)).toEqual([own]);
    } finally {
      await server.close();
    }
    expect(await readdir(root)).toEqual([]);
  });
});
