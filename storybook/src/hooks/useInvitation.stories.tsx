import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor } from 'storybook/test';
import { useInvitation } from '@rtm-kit/react';
import { answeringPeer, callingPeer } from '../live/peers';
import type { LiveParameters } from '../live/world';
import { HookValue, shownValue } from './HookValue';

const carol = callingPeer({ uid: 'carol', channelId: 'standup' });
const bob = answeringPeer({ uid: 'bob' });

function Invitations() {
  const { incoming, outgoing, call, accept, refuse } = useInvitation();
  const ringing = incoming.find((i) => i.state === 'INVITATION_RECEIVED');
  const brief = {
    incoming: incoming.map(({ callerId, channelId, state, response }) => ({ callerId, channelId, state, response })),
    outgoing: outgoing.map(({ calleeId, channelId, state, response }) => ({ calleeId, channelId, state, response })),
  };
  return (
    <HookValue call="useInvitation()" value={brief}>
      <button type="button" className="rtm-button" disabled={!ringing} onClick={() => ringing && void accept(ringing.id, 'Hi carol').catch(() => undefined)}>
        Accept
      </button>
      <button type="button" className="rtm-button" disabled={!ringing} onClick={() => ringing && void refuse(ringing.id, 'Later').catch(() => undefined)}>
        Refuse
      </button>
      <button type="button" className="rtm-button" onClick={() => void call('bob', { channelId: 'room-1' }).catch(() => undefined)}>
        Call bob
      </button>
    </HookValue>
  );
}

/**
 * `useInvitation()` → `{ incoming, outgoing, call, accept, refuse, cancel, dismiss }`: call
 * invitations both ways, as data (the 1.x `LocalInvitation`/`RemoteInvitation` states). `carol`
 * calls you as soon as you are online; `bob` accepts your calls.
 *
 * ```tsx
 * const { incoming, accept, refuse, call } = useInvitation();
 * ```
 */
const meta = {
  title: 'Hooks/useInvitation',
  component: Invitations,
  parameters: { live: { peers: [carol, bob] } satisfies LiveParameters },
} satisfies Meta<typeof Invitations>;

export default meta;

/** carol's call comes in; you accept it; you call bob, who accepts. */
export const BothWays: StoryObj<typeof meta> = {
  play: async ({ canvas, canvasElement }) => {
    await waitFor(() => expect(shownValue(canvasElement)).toMatchObject({ incoming: [{ callerId: 'carol', channelId: 'standup', state: 'INVITATION_RECEIVED' }] }), {
      timeout: 8_000,
    });
    await userEvent.click(canvas.getByRole('button', { name: 'Accept' }));
    await waitFor(() => expect(shownValue(canvasElement)).toMatchObject({ incoming: [{ state: 'ACCEPTED', response: 'Hi carol' }] }), { timeout: 8_000 });
    await userEvent.click(canvas.getByRole('button', { name: 'Call bob' }));
    await waitFor(() => expect(shownValue(canvasElement)).toMatchObject({ outgoing: [{ calleeId: 'bob', state: 'ACCEPTED_BY_REMOTE', response: 'On my way' }] }), {
      timeout: 8_000,
    });
  },
};
