import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RtmServer } from '@rtm-kit/server';
import type { RtmStore } from '@rtm-kit/react';
import { ChatPanel } from '@rtm-kit/ui';
import { StoreProbe } from './chat-helpers.js';
import { AsUser, sleep } from './helpers.js';

let server: RtmServer;
beforeEach(async () => {
  server = await startServer({ port: 0, logger: false });
});
afterEach(async () => {
  cleanup();
  await sleep(150);
  await server.close();
});

/** A 2×2 PNG (small enough to be its own thumbnail). */
const PNG = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAFklEQVR4nGP4z8DwHwyBNAMDA8N/AH6rB/nSL3u3AAAAAElFTkSuQmCC'),
  (c) => c.charCodeAt(0),
);

function bytes(size: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array(size).map((_, i) => (i * 7) % 251);
}

async function twoUsers(onDownloaded?: (blob: Blob) => void) {
  const stores: Record<string, RtmStore> = {};
  render(
    <>
      <div data-testid="alice">
        <AsUser serverUrl={server.url} uid="alice">
          <StoreProbe onStore={(s) => void (stores['alice'] = s)} />
          <ChatPanel peerId="bob" />
        </AsUser>
      </div>
      <div data-testid="bob">
        <AsUser serverUrl={server.url} uid="bob">
          <ChatPanel peerId="alice" {...(onDownloaded === undefined ? {} : { onDownloaded: (blob: Blob) => onDownloaded(blob) })} />
        </AsUser>
      </div>
    </>,
  );
  const alice = within(screen.getByTestId('alice'));
  const bob = within(screen.getByTestId('bob'));
  for (const [who, name] of [
    [alice, 'Message bob'],
    [bob, 'Message alice'],
  ] as const) {
    const box = who.getByRole('textbox', { name }) as HTMLTextAreaElement;
    await waitFor(() => expect(box.disabled).toBe(false), { timeout: 5_000 });
  }
  return { alice, bob, stores };
}

describe('attachments', () => {
  it('says what may be attached, uploads a picked file with progress, sends it, and the peer downloads it with progress', async () => {
    const user = userEvent.setup();
    const received: Blob[] = [];
    const { alice, bob } = await twoUsers((blob) => received.push(blob));
    expect(alice.getByText('Files and images up to 30 MB')).toBeTruthy();
    const attach = alice.getByRole('button', { name: 'Attach file' });
    expect(attach.getAttribute('aria-describedby')).toBe(alice.getByText('Files and images up to 30 MB').id);

    // 9 MB travels in three chunks, so the upload is visibly under way for a while.
    const content = bytes(9 * 1024 * 1024);
    await user.upload(alice.getByLabelText('Attach file'), new File([content], 'notes.bin', { type: 'application/octet-stream' }));
    const progress = await alice.findByRole('progressbar', { name: 'Uploading notes.bin' });
    expect(Number(progress.getAttribute('max'))).toBe(content.length);
    expect(alice.getByRole('button', { name: 'Cancel upload of notes.bin' })).toBeTruthy();

    const bobLog = bob.getByRole('log', { name: 'Messages with alice' });
    await waitFor(() => expect(within(bobLog).getByText('notes.bin')).toBeTruthy(), { timeout: 10_000 });
    expect(alice.queryByRole('progressbar', { name: 'Uploading notes.bin' })).toBeNull();
    expect(within(bobLog).getByText('9 MB')).toBeTruthy();
    const aliceLog = alice.getByRole('log', { name: 'Messages with bob' });
    await waitFor(() => expect(within(aliceLog).getByText('notes.bin').closest('.rtm-chat-message')?.getAttribute('data-state')).toBe('sent'));

    await user.click(within(bobLog).getByRole('button', { name: 'Download notes.bin' }));
    const attachment = within(bobLog).getByText('notes.bin').closest('.rtm-chat-attachment') as HTMLElement;
    expect(attachment.dataset['state']).toBe('downloading');
    expect(within(attachment).getByRole('progressbar', { name: 'Downloading notes.bin' })).toBeTruthy();
    await waitFor(() => expect(attachment.dataset['state']).toBe('done'), { timeout: 10_000 });
    expect(within(attachment).getByRole('status').textContent).toBe('notes.bin downloaded');
    expect(received).toHaveLength(1);
    const got = new Uint8Array(await (received[0] as Blob).arrayBuffer());
    // Byte for byte, without a 9 MB deep-equality diff.
    expect(got.length).toBe(content.length);
    expect(Buffer.compare(got, content)).toBe(0);

    // Without onDownloaded the file goes to the browser's download (an <a download> click).
    await user.click(within(aliceLog).getByRole('button', { name: 'Download notes.bin' }));
    const own = within(aliceLog).getByText('notes.bin').closest('.rtm-chat-attachment') as HTMLElement;
    await waitFor(() => expect(own.dataset['state']).toBe('done'), { timeout: 10_000 });
  });

  it('refuses a file over 30 MB before any request, and an empty one, with the reason', async () => {
    const user = userEvent.setup();
    const { alice, stores } = await twoUsers();
    const huge = new File([new Uint8Array(30 * 1024 * 1024 + 1)], 'huge.bin');
    await user.upload(alice.getByLabelText('Attach file'), [huge, new File([], 'empty.txt')]);
    expect(alice.getByText('huge.bin was not sent: files can be at most 30 MB.').getAttribute('role')).toBe('alert');
    expect(alice.getByText('empty.txt was not sent: the file is empty.')).toBeTruthy();
    expect(stores['alice']?.getState().transfers).toEqual([]);
    await user.click(alice.getAllByRole('button', { name: 'Dismiss' })[0] as HTMLElement);
    expect(alice.queryByText(/huge\.bin/)).toBeNull();
    expect(alice.getByText('empty.txt was not sent: the file is empty.')).toBeTruthy();
  });

  it('cancels an upload: no message is sent', async () => {
    const user = userEvent.setup();
    const { alice, bob, stores } = await twoUsers();
    await user.upload(alice.getByLabelText('Attach file'), new File([bytes(20 * 1024 * 1024)], 'big.bin'));
    await alice.findByRole('progressbar', { name: 'Uploading big.bin' });
    await waitFor(() => expect(stores['alice']?.getState().transfers[0]?.status).toBe('active'));
    await user.click(alice.getByRole('button', { name: 'Cancel upload of big.bin' }));
    await waitFor(() => expect(alice.queryByRole('progressbar', { name: 'Uploading big.bin' })).toBeNull(), { timeout: 5_000 });
    expect(stores['alice']?.getState().transfers[0]?.status).toBe('canceled');
    await sleep(300);
    expect(within(bob.getByRole('log', { name: 'Messages with alice' })).queryByText('big.bin')).toBeNull();
    expect(alice.queryByRole('alert')).toBeNull();
  });

  it('sends a dropped or pasted image with a thumbnail the peer sees without downloading', async () => {
    const { alice, bob } = await twoUsers();
    const image = new File([PNG], 'dot.png', { type: 'image/png' });
    const panel = screen.getByTestId('alice').querySelector('.rtm-chat') as HTMLElement;
    const dataTransfer = { types: ['Files'], files: [image], dropEffect: 'none' };
    fireEvent.dragEnter(panel, { dataTransfer });
    expect(panel.dataset['drag']).toBe('over');
    fireEvent.drop(panel, { dataTransfer });
    expect(panel.dataset['drag']).toBeUndefined();

    const bobLog = bob.getByRole('log', { name: 'Messages with alice' });
    const thumbnail = (await within(bobLog).findByRole('img', { name: 'Image dot.png' }, { timeout: 5_000 })) as HTMLImageElement;
    expect(thumbnail.src).toMatch(/^blob:/);
    expect(thumbnail.closest('.rtm-chat-attachment')?.getAttribute('data-kind')).toBe('image');

    const box = alice.getByRole('textbox', { name: 'Message bob' });
    fireEvent.paste(box, { clipboardData: { files: [new File([PNG], 'pasted.png', { type: 'image/png' })], getData: () => '' } });
    expect(await within(bobLog).findByRole('img', { name: 'Image pasted.png' }, { timeout: 5_000 })).toBeTruthy();
  });
});
