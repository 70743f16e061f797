import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor } from 'storybook/test';
import { useLocalUserAttributes, useUserAttributes } from '@rtm-kit/react';
import { memberPeer } from '../live/peers';
import type { LiveParameters } from '../live/world';
import { HookValue, shownValue } from './HookValue';

const gina = memberPeer({ uid: 'gina', attributes: { name: 'Gina', role: 'designer' } });

function Attributes({ uid }: { readonly uid: string }) {
  const { attributes, status, error } = useUserAttributes(uid);
  const local = useLocalUserAttributes();
  return (
    <HookValue call={`useUserAttributes('${uid}') and useLocalUserAttributes()`} value={{ [uid]: { status, error, attributes }, you: { attributes: local.attributes, error: local.error } }}>
      <button type="button" className="rtm-button" onClick={() => void local.addOrUpdate({ status: 'In a meeting' }).catch(() => undefined)}>
        Set my status
      </button>
    </HookValue>
  );
}

/**
 * `useUserAttributes(uid)` → `{ attributes, status, error, refresh }` reads another user's
 * attributes; `useLocalUserAttributes()` → `{ attributes, error, set, addOrUpdate, remove, clear }`
 * writes your own (re-applied by the client after a reconnect).
 *
 * ```tsx
 * const { attributes } = useUserAttributes('gina');
 * const mine = useLocalUserAttributes();
 * await mine.addOrUpdate({ status: 'In a meeting' });
 * ```
 */
const meta = {
  title: 'Hooks/useUserAttributes',
  component: Attributes,
  args: { uid: 'gina' },
  parameters: { live: { peers: [gina] } satisfies LiveParameters },
} satisfies Meta<typeof Attributes>;

export default meta;

export const GinaAndYou: StoryObj<typeof meta> = {
  play: async ({ canvas, canvasElement }) => {
    await waitFor(() => expect(shownValue(canvasElement)).toMatchObject({ gina: { status: 'ready', attributes: { name: 'Gina', role: 'designer' } } }), {
      timeout: 8_000,
    });
    await userEvent.click(canvas.getByRole('button', { name: 'Set my status' }));
    await waitFor(() => expect(shownValue(canvasElement)).toMatchObject({ you: { attributes: { status: 'In a meeting' } } }), { timeout: 8_000 });
  },
};
