// @vitest-environment node
import { StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import AgoraRTM from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { RtmProvider } from '@rtm-kit/react';
import { APP_ID, countingTransport, sleep } from './helpers.js';
import { EveryHook } from './ssr-app.js';

let server: RtmServer;
beforeAll(async () => {
  server = await startServer({ port: 0, logger: false });
});
afterAll(async () => {
  await server.close();
});

it('renders every hook to a string without window, and never connects', async () => {
  expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
  const tap = countingTransport();
  const html = renderToString(
    <StrictMode>
      <RtmProvider
        appId={APP_ID}
        serverUrl={server.url}
        uid="alice"
        token={async () => 'never-called'}
        config={{ logFilter: AgoraRTM.LOG_FILTER_OFF, transport: tap.transport }}
      >
        <EveryHook />
      </RtmProvider>
    </StrictMode>,
  );
  expect(html).toContain('connection <!-- -->DISCONNECTED');
  expect(html).toContain('channel <!-- -->idle<!-- --> <!-- -->0<!-- --> messages');
  expect(html).toContain('status <!-- -->{}');
  expect(html).toContain('invitations <!-- -->0<!-- -->/<!-- -->0');
  expect(html).toContain('channel attributes <!-- -->idle<!-- --> <!-- -->0');
  await sleep(200);
  expect(tap.sockets()).toBe(0);
  expect(await server.core.sessions.get(APP_ID, 'alice')).toBeNull();
});
