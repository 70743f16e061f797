import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';
import { useConnectionState } from '@rtm-kit/react';
import { worldOf } from '../live/Live';
import type { LiveParameters } from '../live/world';
import { HookValue, shownValue } from './HookValue';

function ConnectionState() {
  return <HookValue call="useConnectionState()" value={useConnectionState()} />;
}

/**
 * `useConnectionState()` → `{ state, reason, uid, error }`: the 1.x connection state machine as
 * the client reports it.
 *
 * ```tsx
 * const { state, reason } = useConnectionState();
 * if (state === 'RECONNECTING') return <p>Reconnecting…</p>;
 * ```
 */
const meta = {
  title: 'Hooks/useConnectionState',
  component: ConnectionState,
  parameters: { live: { clientTiming: { interruptionMs: 200, reconnectDelayMs: 100, reconnectDelayMaxMs: 200 } } satisfies LiveParameters },
} satisfies Meta<typeof ConnectionState>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Logged in: CONNECTED / LOGIN_SUCCESS. */
export const Connected: Story = {
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(shownValue(canvasElement)).toMatchObject({ state: 'CONNECTED', reason: 'LOGIN_SUCCESS', uid: 'you' }), { timeout: 8_000 });
  },
};

/** The network drops (RECONNECTING / INTERRUPTED) and comes back (CONNECTED). */
export const ReconnectingAndBack: Story = {
  play: async (context) => {
    const world = worldOf(context);
    await waitFor(() => expect(shownValue(context.canvasElement)).toMatchObject({ state: 'CONNECTED' }), { timeout: 8_000 });
    world.server.goOffline(world.me);
    await waitFor(() => expect(shownValue(context.canvasElement)).toMatchObject({ state: 'RECONNECTING', reason: 'INTERRUPTED' }), { timeout: 8_000 });
    world.server.goOnline(world.me);
    await waitFor(() => expect(shownValue(context.canvasElement)).toMatchObject({ state: 'CONNECTED', reason: 'LOGIN_SUCCESS' }), { timeout: 8_000 });
  },
};

/** The same user logs in elsewhere: ABORTED / REMOTE_LOGIN. */
export const RemoteLogin: Story = {
  play: async (context) => {
    const world = worldOf(context);
    await waitFor(() => expect(shownValue(context.canvasElement)).toMatchObject({ state: 'CONNECTED' }), { timeout: 8_000 });
    await world.newClient().login({ uid: world.me });
    await waitFor(() => expect(shownValue(context.canvasElement)).toMatchObject({ state: 'ABORTED', reason: 'REMOTE_LOGIN' }), { timeout: 8_000 });
  },
};
