import { StrictMode, useEffect } from 'react';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, expect, it } from 'vitest';
import AgoraRTM, { type RtmClient } from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import type { RtmState, RtmStore } from '@rtm-kit/store';
import { RtmProvider, useConnectionState, useInvitation, useLocalUserAttributes, usePeerMessages, useRtmStoreApi } from '@rtm-kit/react';
import { APP_ID, clientConfig, sleep } from './helpers.js';

let server: RtmServer;
const others: RtmClient[] = [];
beforeEach(async () => {
  server = await startServer({ port: 0, logger: false });
});
afterEach(async () => {
  cleanup();
  await Promise.all(others.splice(0).map((c) => c.logout().catch(() => undefined)));
  await sleep(150);
  await server.close();
});

let storeApi: RtmStore | null = null;

function Screen() {
  const connection = useConnectionState();
  const conversation = usePeerMessages('carol');
  const invitation = useInvitation();
  const local = useLocalUserAttributes();
  const store = useRtmStoreApi();
  useEffect(() => {
    storeApi = store;
  });
  return (
    <p data-testid="screen">
      {connection.state === 'CONNECTED' ? connection.uid : '-'} msgs={conversation.messages.length} calls={invitation.incoming.length} attrs=
      {Object.keys(local.attributes).join(',')}
    </p>
  );
}

const aliceData = (s: RtmState) =>
  Object.keys(s.conversations).length > 0 || s.incomingInvitations.length > 0 || Object.keys(s.localAttributes).length > 0;

it('drops the previous user data when a uid switch starts, before the logout is acknowledged', async () => {
  const client = AgoraRTM.createInstance(APP_ID, clientConfig(server.url));
  const carol = AgoraRTM.createInstance(APP_ID, clientConfig(server.url));
  others.push(client, carol);
  await carol.login({ uid: 'carol' });

  const app = (uid: string) => (
    <StrictMode>
      <RtmProvider client={client} uid={uid}>
        <Screen />
      </RtmProvider>
    </StrictMode>
  );
  const { rerender } = render(app('alice'));
  await waitFor(() => expect(screen.getByTestId('screen').textContent).toMatch(/^alice /));
  await storeApi!.getState().setLocalUserAttributes({ mood: 'happy' });
  await carol.sendMessageToPeer({ text: 'hi alice' }, 'alice');
  carol.createLocalInvitation('alice').send();
  await waitFor(() => expect(screen.getByTestId('screen').textContent).toBe('alice msgs=1 calls=1 attrs=mood'));

  // The client's state when the store first shows no data of alice's.
  let clientStateWhenCleared: string | null = null;
  const unsubscribe = storeApi!.subscribe((s) => {
    if (clientStateWhenCleared === null && !aliceData(s)) clientStateWhenCleared = client.connectionState;
  });
  rerender(app('bob'));
  await waitFor(() => expect(screen.getByTestId('screen').textContent).toBe('bob msgs=0 calls=0 attrs='));
  unsubscribe();
  // Cleared while alice's session was still up: her data never waited on the logout round trip.
  expect(clientStateWhenCleared).toBe('CONNECTED');
});
