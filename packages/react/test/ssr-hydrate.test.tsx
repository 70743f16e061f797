import { StrictMode } from 'react';
import { hydrateRoot, type Root } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { act } from '@testing-library/react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import AgoraRTM from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { RtmProvider } from '@rtm-kit/react';
import { APP_ID, countingTransport, sleep } from './helpers.js';
import { EveryHook } from './ssr-app.js';

let server: RtmServer;
let root: Root | null = null;
beforeEach(async () => {
  server = await startServer({ port: 0, logger: false });
});
afterEach(async () => {
  act(() => root?.unmount());
  root = null;
  await sleep(150);
  await server.close();
});

function app(transport: ReturnType<typeof countingTransport>['transport']) {
  return (
    <StrictMode>
      <RtmProvider appId={APP_ID} serverUrl={server.url} uid="alice" config={{ logFilter: AgoraRTM.LOG_FILTER_OFF, transport }}>
        <EveryHook />
      </RtmProvider>
    </StrictMode>
  );
}

it('hydrates the server HTML without a mismatch, then connects in effects', async () => {
  const serverTap = countingTransport();
  const html = renderToString(app(serverTap.transport));
  const container = document.createElement('div');
  container.innerHTML = html;
  document.body.appendChild(container);

  const recoverable = vi.fn();
  const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const browserTap = countingTransport();
  await act(async () => {
    root = hydrateRoot(container, app(browserTap.transport), { onRecoverableError: recoverable });
  });
  expect(recoverable).not.toHaveBeenCalled();
  expect(consoleError).not.toHaveBeenCalled();
  consoleError.mockRestore();

  for (let i = 0; i < 200 && !container.textContent?.includes('connection CONNECTED'); i++) await act(() => sleep(20));
  expect(container.querySelector('[data-testid="connection"]')?.textContent).toBe('connection CONNECTED');
  expect(serverTap.sockets()).toBe(0);
  expect(browserTap.sockets()).toBe(1);
});
