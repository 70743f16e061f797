import { StrictMode, useState } from 'react';
import { act, cleanup, render, renderHook, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import AgoraRTM, { RtmErrorCode, type RtmClient } from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import {
  RtmProvider,
  useChannel,
  useConnectionState,
  useInvitation,
  usePeerStatus,
  useRtmClient,
  useRtmEvent,
} from '@rtm-kit/react';
import { APP_ID, clientConfig, countingTransport, recordStates, sleep } from './helpers.js';

let server: RtmServer;
beforeEach(async () => {
  server = await startServer({ port: 0, logger: false });
});
afterEach(async () => {
  cleanup();
  await sleep(150); // deferred logouts of unmounted providers
  await server.close();
});

function Connection() {
  const { state, reason, uid, error } = useConnectionState();
  return (
    <p data-testid="connection">
      {state}/{reason ?? '-'}/{uid ?? '-'}/{error?.code ?? '-'}
    </p>
  );
}

const text = () => screen.getByTestId('connection').textContent;

describe('RtmProvider', () => {
  it('logs in once under Strict Mode and shows CONNECTED', async () => {
    const tap = countingTransport();
    const client = AgoraRTM.createInstance(APP_ID, clientConfig(server.url, tap.transport));
    const states = recordStates(client);
    render(
      <StrictMode>
        <RtmProvider client={client} uid="alice">
          <Connection />
        </RtmProvider>
      </StrictMode>,
    );
    await waitFor(() => expect(text()).toBe('CONNECTED/LOGIN_SUCCESS/alice/-'));
    await sleep(300);
    expect(states).toEqual(['CONNECTING/LOGIN', 'CONNECTED/LOGIN_SUCCESS']);
    expect(tap.sockets()).toBe(1);
    expect((await server.core.sessions.get(APP_ID, 'alice'))?.connected).toBe(true);
  });

  it('creates its own client from appId and serverUrl, and logs out on unmount', async () => {
    let seen: RtmClient | null = null;
    function Grab() {
      seen = useRtmClient();
      return null;
    }
    const { unmount } = render(
      <StrictMode>
        <RtmProvider appId={APP_ID} serverUrl={server.url} config={{ logFilter: AgoraRTM.LOG_FILTER_OFF }} uid="alice">
          <Connection />
          <Grab />
        </RtmProvider>
      </StrictMode>,
    );
    await waitFor(() => expect(text()).toBe('CONNECTED/LOGIN_SUCCESS/alice/-'));
    expect((seen as RtmClient | null)?.connectionState).toBe('CONNECTED');
    unmount();
    await waitFor(async () => expect(await server.core.sessions.get(APP_ID, 'alice')).toBeNull());
    expect((seen as RtmClient | null)?.connectionState).toBe('DISCONNECTED');
  });

  it('switches user when uid changes and logs out when it is cleared', async () => {
    const client = AgoraRTM.createInstance(APP_ID, clientConfig(server.url));
    const states = recordStates(client);
    let setUid: (uid: string | null) => void = () => undefined;
    function App() {
      const [uid, set] = useState<string | null>('alice');
      setUid = set;
      return (
        <RtmProvider client={client} uid={uid}>
          <Connection />
        </RtmProvider>
      );
    }
    render(
      <StrictMode>
        <App />
      </StrictMode>,
    );
    await waitFor(() => expect(text()).toBe('CONNECTED/LOGIN_SUCCESS/alice/-'));
    act(() => setUid('bob'));
    await waitFor(() => expect(text()).toBe('CONNECTED/LOGIN_SUCCESS/bob/-'));
    expect(await server.core.sessions.get(APP_ID, 'alice')).toBeNull();
    act(() => setUid(null));
    await waitFor(() => expect(text()).toBe('DISCONNECTED/LOGOUT/-/-'));
    expect(await server.core.sessions.get(APP_ID, 'bob')).toBeNull();
    expect(states).toEqual([
      'CONNECTING/LOGIN',
      'CONNECTED/LOGIN_SUCCESS',
      'DISCONNECTED/LOGOUT',
      'CONNECTING/LOGIN',
      'CONNECTED/LOGIN_SUCCESS',
      'DISCONNECTED/LOGOUT',
    ]);
  });

  it('calls a token function once per login, even under Strict Mode', async () => {
    const client = AgoraRTM.createInstance(APP_ID, clientConfig(server.url));
    const calls: string[] = [];
    render(
      <StrictMode>
        <RtmProvider
          client={client}
          uid="alice"
          token={async () => {
            calls.push('alice');
            return 'dev-token';
          }}
        >
          <Connection />
        </RtmProvider>
      </StrictMode>,
    );
    await waitFor(() => expect(text()).toBe('CONNECTED/LOGIN_SUCCESS/alice/-'));
    expect(calls).toEqual(['alice']);
  });

  it('shows a failed login as data instead of throwing', async () => {
    render(
      <StrictMode>
        <RtmProvider client={AgoraRTM.createInstance(APP_ID, clientConfig(server.url))} uid="bad/uid">
          <Connection />
        </RtmProvider>
      </StrictMode>,
    );
    await waitFor(() => expect(text()).toBe(`DISCONNECTED/-/-/${RtmErrorCode.LoginError.LOGIN_ERR_INVALID_ARGUMENT}`));
  });

  it('does not log in without a uid, and leaves a given client to its owner', async () => {
    const client = AgoraRTM.createInstance(APP_ID, clientConfig(server.url));
    render(
      <RtmProvider client={client}>
        <Connection />
      </RtmProvider>,
    );
    await sleep(200);
    expect(client.connectionState).toBe('DISCONNECTED');
    await act(() => client.login({ uid: 'carol' }));
    await waitFor(() => expect(text()).toBe('CONNECTED/LOGIN_SUCCESS/-/-'));
    await act(() => client.logout());
  });

  it('needs an appId or a client', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => render(<RtmProvider />)).toThrow('<RtmProvider> needs an `appId` or a `client`.');
    spy.mockRestore();
  });
});

describe('hooks outside a provider', () => {
  it('throw at once, naming the hook and <RtmProvider>', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => renderHook(() => useChannel('lobby'))).toThrow('useChannel must be used inside <RtmProvider>.');
    expect(() => renderHook(() => useConnectionState())).toThrow('useConnectionState must be used inside <RtmProvider>.');
    expect(() => renderHook(() => usePeerStatus(['bob']))).toThrow('usePeerStatus must be used inside <RtmProvider>.');
    expect(() => renderHook(() => useInvitation())).toThrow('useInvitation must be used inside <RtmProvider>.');
    spy.mockRestore();
  });
});

describe('useRtmEvent', () => {
  it('delivers client events to the latest inline listener without resubscribing', async () => {
    const client = AgoraRTM.createInstance(APP_ID, clientConfig(server.url));
    const seen: string[] = [];
    let rerender: () => void = () => undefined;
    function Listener() {
      const [n, setN] = useState(0);
      rerender = () => setN((x) => x + 1);
      useRtmEvent('ConnectionStateChanged', (state) => seen.push(`${n}:${state}`));
      return null;
    }
    render(
      <StrictMode>
        <RtmProvider client={client}>
          <Listener />
        </RtmProvider>
      </StrictMode>,
    );
    const before = client.listenerCount('ConnectionStateChanged');
    act(() => rerender());
    act(() => rerender());
    expect(client.listenerCount('ConnectionStateChanged')).toBe(before);
    await act(() => client.login({ uid: 'dave' }));
    expect(seen).toEqual(['2:CONNECTING', '2:CONNECTED']);
    await act(() => client.logout());
  });
});
