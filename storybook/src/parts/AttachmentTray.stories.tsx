import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent } from 'storybook/test';
import { AttachmentTray } from '@rtm-kit/ui';

/**
 * Files on their way out, above the composer: upload progress with Cancel, or why a file was not
 * sent, with Dismiss. `Composer` shows it by itself; `useAttachments` gives its props to a
 * composer of your own.
 *
 * ```tsx
 * const attach = useAttachments({ send: sendMessage });
 * <AttachmentTray attachments={attach.attachments} maxBytes={attach.maxBytes} cancel={attach.cancel} dismiss={attach.dismiss} />
 * ```
 */
const meta = {
  title: 'Parts/AttachmentTray',
  component: AttachmentTray,
  args: {
    maxBytes: 30 * 1024 * 1024,
    cancel: fn(),
    dismiss: fn(),
    attachments: [
      { id: 'a1', fileName: 'holiday.mov', size: 80 * 1024 * 1024, state: 'too-large', transferId: null, error: null },
      { id: 'a2', fileName: 'empty.txt', size: 0, state: 'empty', transferId: null, error: null },
      { id: 'a3', fileName: 'slides.pdf', size: 2_000_000, state: 'failed', transferId: null, error: 'the upload timed out' },
    ],
  },
} satisfies Meta<typeof AttachmentTray>;

export default meta;

/** Refused and failed files, each with the reason and Dismiss. */
export const NotSent: StoryObj<typeof meta> = {
  play: async ({ args, canvas }) => {
    await canvas.findByText('holiday.mov was not sent: files can be at most 30 MB.');
    await canvas.findByText('empty.txt was not sent: the file is empty.');
    await canvas.findByText('slides.pdf was not sent: the upload timed out');
    await userEvent.click(canvas.getAllByRole('button', { name: 'Dismiss' })[0] as HTMLElement);
    await expect(args.dismiss).toHaveBeenCalledWith('a1');
  },
};
