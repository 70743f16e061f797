import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';
import { usePeerStatus } from '@rtm-kit/react';
import { worldOf } from '../live/Live';
import { flakyPeer, memberPeer } from '../live/peers';
import type { LiveParameters } from '../live/world';
import { HookValue, shownValue } from './HookValue';

const frank = flakyPeer({ uid: 'frank', cycle: false });
const gina = memberPeer({ uid: 'gina' });
const hugo = flakyPeer({ uid: 'hugo', mode: 'logout', cycle: false });

function Status({ peerIds }: { readonly peerIds: readonly string[] }) {
  return <HookValue call={`usePeerStatus(${JSON.stringify(peerIds)})`} value={usePeerStatus(peerIds)} />;
}

/**
 * `usePeerStatus(peerIds)` → `{ [peerId]: 'ONLINE' | 'UNREACHABLE' | 'OFFLINE' }`, one shared
 * subscription per peer. `frank` loses his network here (UNREACHABLE) and gets it back.
 *
 * ```tsx
 * const online = usePeerStatus(['frank', 'gina']);
 * ```
 */
const meta = {
  title: 'Hooks/usePeerStatus',
  component: Status,
  args: { peerIds: ['frank', 'gina', 'nobody'] },
  parameters: { live: { peers: [frank, gina] } satisfies LiveParameters },
} satisfies Meta<typeof Status>;

export default meta;

/** ONLINE, UNREACHABLE while frank's network is down, ONLINE again; nobody is OFFLINE. */
export const ComingAndGoing: StoryObj<typeof meta> = {
  play: async (context) => {
    const { canvasElement } = context;
    await waitFor(() => expect(shownValue(canvasElement)).toEqual({ frank: 'ONLINE', gina: 'ONLINE', nobody: 'OFFLINE' }), { timeout: 8_000 });
    const control = worldOf(context).control(frank);
    await control.goOffline();
    await waitFor(() => expect(shownValue(canvasElement)).toMatchObject({ frank: 'UNREACHABLE' }), { timeout: 10_000 });
    await control.goOnline();
    await waitFor(() => expect(shownValue(canvasElement)).toMatchObject({ frank: 'ONLINE' }), { timeout: 10_000 });
  },
};

/** `hugo` logs out and in again instead: OFFLINE, then ONLINE. */
export const LogoutAndBack: StoryObj<typeof meta> = {
  args: { peerIds: ['hugo'] },
  parameters: { live: { peers: [hugo] } satisfies LiveParameters },
  play: async (context) => {
    const { canvasElement } = context;
    await waitFor(() => expect(shownValue(canvasElement)).toEqual({ hugo: 'ONLINE' }), { timeout: 8_000 });
    const control = worldOf(context).control(hugo);
    await control.goOffline();
    await waitFor(() => expect(shownValue(canvasElement)).toEqual({ hugo: 'OFFLINE' }), { timeout: 8_000 });
    await control.goOnline();
    await waitFor(() => expect(shownValue(canvasElement)).toEqual({ hugo: 'ONLINE' }), { timeout: 8_000 });
  },
};
