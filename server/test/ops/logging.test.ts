import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import AgoraRTM, { type RtmClient } from '@rtm-kit/client';
import { createServerLogger, startServer, type Logger, type RtmServer } from '@rtm-kit/server';

const APP_ID = '0123456789abcdef0123456789abcdef';
const CERT = 'c0ffee00c0ffee00c0ffee00c0ffee00';
const ADMIN = 'admin-token-never-logged-0001';

function capture(): { lines: () => Array<Record<string, unknown>>; text: () => string; stream: Writable } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text, lines: () => text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('logs', () => {
  const servers: RtmServer[] = [];
  const clients: RtmClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('writes JSON lines at the configured level, secrets redacted by field and masked in text', () => {
    const out = capture();
    const log = createServerLogger({ level: 'info', destination: out.stream, secrets: () => [CERT] });
    log.fields('info', { requestId: 'r1', appId: APP_ID }, 'admin request');
    log.fields('debug', { connectionId: 'c1' }, 'hidden at info');
    log.warn(`certificate ${CERT} and token 007eJx${'A'.repeat(40)} in a message`);
    log.error('failed', new Error(`Bearer ${ADMIN} rejected`));
    (log.pino.info as (o: object, m: string) => void)({ token: 'secret-token', detail: { sessionId: 's-1', resumeSecret: 'r' } }, 'fields');
    const lines = out.lines();
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ level: 30, msg: 'admin request', requestId: 'r1', appId: APP_ID, name: 'rtm-kit' });
    expect(typeof lines[0]?.['time']).toBe('string');
    expect(out.text()).not.toContain(CERT);
    expect(out.text()).not.toContain(ADMIN);
    expect(out.text()).not.toContain('A'.repeat(40));
    expect(lines[3]).toMatchObject({ token: '***', detail: { sessionId: '***', resumeSecret: '***' } });
  });

  it('keeps a user-supplied { info, warn, error } logger working, with fields as text', async () => {
    const seen: string[] = [];
    const logger: Logger = { info: (m) => seen.push(`info ${m}`), warn: (m) => seen.push(`warn ${m}`), error: (m) => seen.push(`error ${m}`) };
    const server = await startServer({ port: 0, logger, admin: { token: ADMIN }, apps: [{ appId: APP_ID, appCertificate: CERT }] });
    servers.push(server);
    await fetch(`${server.url}/admin/v1/apps/${APP_ID}/sessions`, { headers: { authorization: `Bearer ${ADMIN}` } });
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.some((l) => l.startsWith('info admin request') && l.includes('status=200') && l.includes(`appId=${APP_ID}`))).toBe(true);
  });

  it('logs nothing with logger: false, and a JSON logger sees connections at debug', async () => {
    const quiet = await startServer({ port: 0, logger: false });
    servers.push(quiet);
    const out = capture();
    const server = await startServer({ port: 0, logger: createServerLogger({ level: 'debug', destination: out.stream }) });
    servers.push(server);
    const client = AgoraRTM.createInstance(APP_ID, { serverUrl: server.url, logFilter: AgoraRTM.LOG_FILTER_OFF });
    clients.push(client);
    await client.login({ uid: 'alice' });
    const line = out.lines().find((l) => l['msg'] === 'connection logged in');
    expect(line).toMatchObject({ level: 20, appId: APP_ID, uid: 'alice' });
    expect(typeof line?.['connectionId']).toBe('string');
    expect(JSON.stringify(out.lines())).not.toMatch(/"sessionId":"[^*]/);
  });
});
