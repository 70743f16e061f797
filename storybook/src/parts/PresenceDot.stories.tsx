import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect } from 'storybook/test';
import { PresenceDot } from '@rtm-kit/ui';

/**
 * A peer's online status as a dot, with the status in words for assistive technology (and, with
 * `withLabel`, on screen). Takes `usePeerStatus()`'s value.
 *
 * ```tsx
 * const status = usePeerStatus(['ana']);
 * <PresenceDot state={status.ana} withLabel />
 * ```
 */
const meta = {
  title: 'Parts/PresenceDot',
  component: PresenceDot,
  args: { withLabel: true },
} satisfies Meta<typeof PresenceDot>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Online: Story = { args: { state: 'ONLINE' }, play: async ({ canvas }) => void (await expect(canvas.getByText('Online')).toBeVisible()) };
export const Unreachable: Story = { args: { state: 'UNREACHABLE' }, play: async ({ canvas }) => void (await expect(canvas.getByText('Unreachable')).toBeVisible()) };
export const Offline: Story = { args: { state: 'OFFLINE' }, play: async ({ canvas }) => void (await expect(canvas.getByText('Offline')).toBeVisible()) };
export const Unknown: Story = { args: { state: undefined }, play: async ({ canvas }) => void (await expect(canvas.getByText('Status unknown')).toBeVisible()) };
