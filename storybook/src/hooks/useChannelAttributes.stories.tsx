import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor } from 'storybook/test';
import { useChannelAttributes } from '@rtm-kit/react';
import { worldOf } from '../live/Live';
import type { LiveParameters } from '../live/world';
import { HookValue, shownValue } from './HookValue';

function Attributes({ channelId }: { readonly channelId: string }) {
  const { attributes, status, error, addOrUpdate } = useChannelAttributes(channelId, { join: true });
  return (
    <HookValue call={`useChannelAttributes('${channelId}', { join: true })`} value={{ status, error, attributes }}>
      <button
        type="button"
        className="rtm-button"
        onClick={() => void addOrUpdate({ topic: 'Release 1.0' }, { enableNotificationToChannelMembers: true }).catch(() => undefined)}
      >
        Set the topic
      </button>
    </HookValue>
  );
}

/**
 * `useChannelAttributes(channelId, { join? })` → `{ attributes, status, error, set, addOrUpdate,
 * remove, clear, refresh }`: each attribute with who changed it last and when; fresh from your own
 * writes and, for members, from `AttributesUpdated`.
 *
 * ```tsx
 * const { attributes, addOrUpdate } = useChannelAttributes('lobby', { join: true });
 * ```
 */
const meta = {
  title: 'Hooks/useChannelAttributes',
  component: Attributes,
  args: { channelId: 'lobby' },
  parameters: { live: {} satisfies LiveParameters },
} satisfies Meta<typeof Attributes>;

export default meta;

/** You set the topic; then `tom` changes it and you see his change live. */
export const Topic: StoryObj<typeof meta> = {
  play: async (context) => {
    const { canvas, canvasElement } = context;
    await waitFor(() => expect(shownValue(canvasElement)).toMatchObject({ status: 'ready' }), { timeout: 8_000 });
    await userEvent.click(canvas.getByRole('button', { name: 'Set the topic' }));
    await waitFor(() => expect(shownValue(canvasElement)).toMatchObject({ attributes: { topic: { value: 'Release 1.0', lastUpdateUserId: 'you' } } }), {
      timeout: 8_000,
    });
    const tom = worldOf(context).newClient();
    await tom.login({ uid: 'tom' });
    await tom.addOrUpdateChannelAttributes('lobby', { topic: 'Release 1.1' }, { enableNotificationToChannelMembers: true });
    await waitFor(() => expect(shownValue(canvasElement)).toMatchObject({ attributes: { topic: { value: 'Release 1.1', lastUpdateUserId: 'tom' } } }), {
      timeout: 8_000,
    });
  },
};
