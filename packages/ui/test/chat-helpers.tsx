import { useEffect, type ReactNode } from 'react';
import AgoraRTM, { socketIoTransport, type RtmClient, type Transport, type TransportSocket } from '@rtm-kit/client';
import { RtmProvider, useRtmStoreApi, type RtmStore } from '@rtm-kit/react';
import { APP_ID } from './helpers.js';

/** A client whose network a test can cut, with short reconnect timings. */
export function droppableClient(serverUrl: string): { client: RtmClient; drop(): void } {
  const sockets: TransportSocket[] = [];
  const inner = socketIoTransport();
  const transport: Transport = (options) => {
    const socket = inner(options);
    sockets.push(socket);
    return socket;
  };
  const client = AgoraRTM.createInstance(APP_ID, {
    serverUrl,
    logFilter: AgoraRTM.LOG_FILTER_OFF,
    transport,
    timing: { interruptionMs: 100, reconnectDelayMs: 800, reconnectDelayMaxMs: 800 },
  });
  return {
    client,
    drop() {
      const socket = sockets.at(-1) as unknown as { io: { engine: { close(): void } } };
      socket.io.engine.close();
    },
  };
}

/** A provider around a given client, logged in as `uid`. */
export function WithClient({ client, uid, children }: { client: RtmClient; uid: string; children?: ReactNode }) {
  return (
    <RtmProvider client={client} uid={uid}>
      {children}
    </RtmProvider>
  );
}

/** Hands the provider's store to the test (to read transfers, or the connection). */
export function StoreProbe({ onStore }: { onStore: (store: RtmStore) => void }) {
  const store = useRtmStoreApi();
  useEffect(() => onStore(store), [store, onStore]);
  return null;
}

/** The message element (`.rtm-chat-message`) around a text in a log. */
export function messageOf(element: HTMLElement): HTMLElement {
  const message = element.closest<HTMLElement>('.rtm-chat-message');
  if (message === null) throw new Error('not inside a message');
  return message;
}

export function isDisabled(element: HTMLElement): boolean {
  return (element as HTMLButtonElement | HTMLTextAreaElement).disabled;
}
