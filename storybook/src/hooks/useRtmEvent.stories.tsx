import { useState } from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';
import { useRtmEvent } from '@rtm-kit/react';
import { imagePeer } from '../live/peers';
import type { LiveParameters } from '../live/world';
import { HookValue, shownValue } from './HookValue';

const iris = imagePeer({ uid: 'iris' });

function Events() {
  const [seen, setSeen] = useState<string[]>([]);
  useRtmEvent('MessageFromPeer', (message, peerId) => setSeen((s) => [...s, `MessageFromPeer ${peerId} ${message.messageType}`]));
  useRtmEvent('ConnectionStateChanged', (state, reason) => setSeen((s) => [...s, `ConnectionStateChanged ${state} ${reason}`]));
  return <HookValue call="useRtmEvent('MessageFromPeer' | 'ConnectionStateChanged', listener)" value={seen} />;
}

/**
 * `useRtmEvent(event, listener)`: any 1.x client event, through a latest-ref (an inline listener
 * never resubscribes). Here `iris` sends you a picture once you are online.
 *
 * ```tsx
 * useRtmEvent('MessageFromPeer', (message, peerId) => notify(peerId));
 * ```
 */
const meta = {
  title: 'Hooks/useRtmEvent',
  component: Events,
  parameters: { live: { peers: [iris] } satisfies LiveParameters },
} satisfies Meta<typeof Events>;

export default meta;

export const ClientEvents: StoryObj<typeof meta> = {
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(shownValue(canvasElement)).toContain('MessageFromPeer iris IMAGE'), { timeout: 10_000 });
    await expect(shownValue(canvasElement)).toContain('ConnectionStateChanged CONNECTED LOGIN_SUCCESS');
  },
};
