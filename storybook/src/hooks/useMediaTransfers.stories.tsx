import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor } from 'storybook/test';
import { useMediaTransfers, usePeerMessages } from '@rtm-kit/react';
import { echoPeer } from '../live/peers';
import type { LiveParameters } from '../live/world';
import { HookValue, shownValue } from './HookValue';

const echo = echoPeer({ uid: 'echo' });

function Transfers() {
  const { transfers, upload } = useMediaTransfers();
  const { sendMessage } = usePeerMessages('echo');
  const send = async () => {
    const file = new File([new Uint8Array(512 * 1024).fill(42)], 'notes.bin');
    await sendMessage(await upload(file, { fileName: file.name }));
  };
  return (
    <HookValue call="useMediaTransfers()" value={{ transfers: transfers.map(({ kind, fileName, currentSize, totalSize, status }) => ({ kind, fileName, currentSize, totalSize, status })) }}>
      <button type="button" className="rtm-button" onClick={() => void send().catch(() => undefined)}>
        Upload a file and send it to echo
      </button>
    </HookValue>
  );
}

/**
 * `useMediaTransfers()` → `{ transfers, upload, download, cancel, dismiss }`: uploads and
 * downloads with their progress and status. The link is slow here (256 KB/s) so progress shows.
 *
 * ```tsx
 * const { transfers, upload } = useMediaTransfers();
 * const { sendMessage } = usePeerMessages('echo');
 * await sendMessage(await upload(file, { fileName: file.name }));
 * ```
 */
const meta = {
  title: 'Hooks/useMediaTransfers',
  component: Transfers,
  parameters: { live: { peers: [echo], server: { mediaBytesPerSecond: 256 * 1024 } } satisfies LiveParameters },
} satisfies Meta<typeof Transfers>;

export default meta;

/** The upload moves and completes. */
export const Upload: StoryObj<typeof meta> = {
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(await canvas.findByRole('button', { name: 'Upload a file and send it to echo' }));
    await waitFor(() => expect(shownValue(canvasElement)).toMatchObject({ transfers: [{ kind: 'upload', fileName: 'notes.bin', status: 'active' }] }), { timeout: 8_000 });
    await waitFor(
      () => expect(shownValue(canvasElement)).toMatchObject({ transfers: [{ kind: 'upload', status: 'done', currentSize: 524_288, totalSize: 524_288 }] }),
      { timeout: 10_000 },
    );
  },
};
