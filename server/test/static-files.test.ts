import { request } from 'node:http';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RtmServer } from '@rtm-kit/server';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request: the path goes out exactly as written (fetch would normalise `..` away). */
function get(url: string, path: string, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/`, { method, path, timeout: 5_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

const INDEX = '<!doctype html><title>demo</title><script type="module" src="/assets/app.js"></script>';

describe('startServer({ staticDir }): the web app on the server port', () => {
  let base: string;
  let site: string;
  let server: RtmServer;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'rtm-static-test-'));
    site = join(base, 'site');
    await mkdir(join(site, 'assets'), { recursive: true });
    await mkdir(join(site, 'docs'));
    await mkdir(join(site, 'empty'));
    await writeFile(join(site, 'index.html'), INDEX);
    await writeFile(join(site, 'assets', 'app.js'), 'console.log("app");');
    await writeFile(join(site, 'assets', 'app.css'), 'body { margin: 0 }');
    await writeFile(join(site, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    await writeFile(join(site, 'assets', 'data.bin'), Buffer.from([0, 1, 2, 3]));
    await writeFile(join(site, 'docs', 'index.html'), '<p>docs</p>');
    await writeFile(join(site, 'space name.txt'), 'spaced');
    await writeFile(join(site, '.env'), 'SECRET=1');
    await writeFile(join(base, 'secret.txt'), 'outside the site');
    await symlink(join(base, 'secret.txt'), join(site, 'leak.txt'));
    await symlink(join(site, 'assets', 'app.css'), join(site, 'styles.css'));
    server = await startServer({ port: 0, logger: false, staticDir: site });
  });

  afterAll(async () => {
    await server?.close();
    await rm(base, { recursive: true, force: true });
  });

  it('serves index.html at / and files with their content types', async () => {
    const index = await get(server.url, '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-length']).toBe(String(Buffer.byteLength(INDEX)));
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(index.body).toBe(INDEX);

    const types = await Promise.all(
      ['/assets/app.js', '/assets/app.css', '/assets/logo.svg', '/assets/data.bin', '/space%20name.txt'].map(async (path) => {
        const answer = await get(server.url, path);
        return [path, answer.status, answer.headers['content-type']];
      }),
    );
    expect(types).toEqual([
      ['/assets/app.js', 200, 'text/javascript; charset=utf-8'],
      ['/assets/app.css', 200, 'text/css; charset=utf-8'],
      ['/assets/logo.svg', 200, 'image/svg+xml'],
      ['/assets/data.bin', 200, 'application/octet-stream'],
      ['/space%20name.txt', 200, 'text/plain; charset=utf-8'],
    ]);
    expect((await get(server.url, '/assets/app.js?v=2')).body).toBe('console.log("app");');
  });

  it("answers a directory with its own index.html, and unknown routes with the root's", async () => {
    expect((await get(server.url, '/docs/')).body).toBe('<p>docs</p>');
    expect((await get(server.url, '/docs')).body).toBe('<p>docs</p>');
    for (const path of ['/channels/lobby', '/peer/alice?x=1', '/empty']) {
      const answer = await get(server.url, path);
      expect([path, answer.status, answer.headers['content-type'], answer.body]).toEqual([path, 200, 'text/html; charset=utf-8', INDEX]);
    }
  });

  it('answers 404 for a missing file with an extension rather than HTML in its place', async () => {
    const missing = await get(server.url, '/assets/missing.js');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('keeps /healthz, /media and socket.io routes', async () => {
    expect(await get(server.url, '/healthz')).toMatchObject({ status: 200, body: 'ok' });
    const media = await get(server.url, '/media/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(media.status).not.toBe(200);
    expect(media.headers['content-type']).toMatch(/^application\/json/);
    const socketIo = await get(server.url, '/socket.io/?EIO=4&transport=polling');
    expect(socketIo.body).not.toBe(INDEX);
  });

  it('refuses paths that leave the directory, encoded or through a symbolic link', async () => {
    for (const path of ['/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e%2fsecret.txt', '/assets%2f..%2f..%2fsecret.txt']) {
      const answer = await get(server.url, path);
      expect([path, answer.status]).toEqual([path, 403]);
      expect(answer.body).not.toContain('outside the site');
    }
    // Plain `..` segments never get past the URL parser, so these stay inside the directory.
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt']) {
      const answer = await get(server.url, path);
      expect([path, answer.status]).toEqual([path, 404]);
    }
    const leak = await get(server.url, '/leak.txt');
    expect(leak.status).toBe(403);
    expect(leak.body).not.toContain('outside the site');
    // A link that stays inside is fine.
    expect(await get(server.url, '/styles.css')).toMatchObject({ status: 200, body: 'body { margin: 0 }' });
  });

  it('does not serve dot files, and rejects undecodable paths', async () => {
    expect((await get(server.url, '/.env')).status).toBe(404);
    expect((await get(server.url, '/%2eenv')).status).toBe(404);
    expect((await get(server.url, '/%E0%A4%A')).status).toBe(400);
    expect((await get(server.url, '/index.html%00.js')).status).toBe(400);
  });

  it('answers HEAD with the headers only, and other methods with 405', async () => {
    const head = await get(server.url, '/assets/app.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength('console.log("app");')));
    expect(head.body).toBe('');
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const answer = await get(server.url, '/index.html', method);
      expect([method, answer.status, answer.headers['allow']]).toEqual([method, 405, 'GET, HEAD']);
    }
  });

  it('fails to start when the directory does not exist', async () => {
    await expect(startServer({ port: 0, logger: false, staticDir: join(base, 'nope') })).rejects.toThrow(/static directory not found/);
    await expect(startServer({ port: 0, logger: false, staticDir: join(site, 'index.html') })).rejects.toThrow(/not a directory/);
  });

  it('answers 404 for every other path without staticDir, as before', async () => {
    const plain = await startServer({ port: 0, logger: false });
    try {
      expect((await get(plain.url, '/')).status).toBe(404);
      expect((await get(plain.url, '/index.html')).status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
