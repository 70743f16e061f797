import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { CallDialogPrimitive, useCalls } from '@rtm-kit/ui';
import { worldOf } from '../live/Live';
import { callingPeer } from '../live/peers';
import type { LiveParameters } from '../live/world';

const carol = callingPeer({ uid: 'carol', content: 'Pairing session?' });

/** A call card of your own: the headless parts around `useCalls()`, styled here with plain inline styles. */
function MyCallCards() {
  const { calls, accept, decline, cancel, close } = useCalls();
  const actions = { accept, decline, cancel, close };
  return calls.map((call) => (
    <CallDialogPrimitive.Root key={call.id} call={call} actions={actions}>
      <CallDialogPrimitive.Portal>
        <CallDialogPrimitive.Overlay style={{ position: 'fixed', inset: 0, background: 'rgb(0 0 0 / 0.4)' }} />
        <CallDialogPrimitive.Content
          style={{ position: 'fixed', top: 24, left: 24, padding: 16, borderRadius: 12, background: '#fff8e1', color: '#222', border: '2px solid #f5a623' }}
        >
          <CallDialogPrimitive.Title style={{ margin: 0, fontSize: 18 }} />
          <CallDialogPrimitive.Description />
          <CallDialogPrimitive.Status />
          <div style={{ display: 'flex', gap: 8 }}>
            <CallDialogPrimitive.Accept>Pick up</CallDialogPrimitive.Accept>
            <CallDialogPrimitive.Decline>Not now</CallDialogPrimitive.Decline>
            <CallDialogPrimitive.Cancel />
            <CallDialogPrimitive.Close />
          </div>
        </CallDialogPrimitive.Content>
      </CallDialogPrimitive.Portal>
    </CallDialogPrimitive.Root>
  ));
}

/**
 * `CallDialogPrimitive`: the parts `CallDialog` is made of (Root, Portal, Overlay, Content,
 * Title, Description, Status, Accept, Decline, Cancel, Close), with roles, names, focus and
 * keyboard but no styles, for a call UI of your own around `useCalls()`.
 *
 * ```tsx
 * const { calls, ...actions } = useCalls();
 * return calls.map((call) => (
 *   <CallDialogPrimitive.Root key={call.id} call={call} actions={actions}>
 *     <CallDialogPrimitive.Portal>
 *       <CallDialogPrimitive.Content className="my-card">
 *         <CallDialogPrimitive.Title />
 *         <CallDialogPrimitive.Accept>Pick up</CallDialogPrimitive.Accept>
 *         <CallDialogPrimitive.Decline />
 *       </CallDialogPrimitive.Content>
 *     </CallDialogPrimitive.Portal>
 *   </CallDialogPrimitive.Root>
 * ));
 * ```
 */
const meta = {
  title: 'Parts/CallDialogPrimitive',
  component: MyCallCards,
  parameters: { live: { peers: [carol] } satisfies LiveParameters },
} satisfies Meta<typeof MyCallCards>;

export default meta;

/** carol calls; your own card rings, and "Pick up" accepts. */
export const CustomCard: StoryObj<typeof meta> = {
  play: async (context) => {
    const body = within(context.canvasElement.ownerDocument.body);
    const card = await body.findByRole('alertdialog', { name: 'Incoming call from carol' }, { timeout: 8_000 });
    await within(card).findByText('Pairing session?');
    await userEvent.click(within(card).getByRole('button', { name: 'Pick up' }));
    await waitFor(() => expect(worldOf(context).control(carol).latest()?.state).toBe('ACCEPTED_BY_REMOTE'), { timeout: 8_000 });
  },
};
