import { describe, expect, it } from 'vitest';
import type { RtmClient } from '@rtm-kit/client';
import { redisAvailable } from '../redis/redis-available.js';
import { useFleet } from './fleet-kit.js';

const waitFor = async (check: () => boolean | Promise<boolean>, what: string, ms = 5_000) => {
  for (let i = 0, until = Date.now() + ms; i < 10_000; i++) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

function inbox(client: RtmClient): Array<{ text: string; from: string; offline: boolean }> {
  const got: Array<{ text: string; from: string; offline: boolean }> = [];
  client.on('MessageFromPeer', (m, from, props) => got.push({ text: 'text' in m ? m.text : String(m.messageType), from, offline: props.isOfflineMessage }));
  return got;
}

describe.runIf(redisAvailable)('a fleet restarted as a whole', () => {
  const fleet = useFleet();

  it('keeps offline messages, channel attributes and media across a restart of every node', async () => {
    const a = await fleet.node();
    const b = await fleet.node();
    const alice = await fleet.user('alice', a);
    await alice.sendMessageToPeer({ text: 'while you were away' }, 'carol', { enableOfflineMessaging: true });
    await alice.setChannelAttributes('lobby', { topic: 'restarts' });
    const file = new Uint8Array(64 * 1024).map((_, i) => (i * 7) & 0xff);
    const media = await alice.createMediaMessageByUploading(new Blob([file]), { messageType: 'FILE', fileName: 'notes.bin' });
    await alice.logout();
    await a.close();
    await b.close();

    // New processes: nothing but Redis and the shared media directory carries over.
    const c = await fleet.node();
    await fleet.node();
    const carol = fleet.client(c);
    const got = inbox(carol);
    await carol.login({ uid: 'carol' });
    await waitFor(() => got.length === 1, 'the offline message');
    expect(got).toEqual([{ text: 'while you were away', from: 'alice', offline: true }]);
    const attributes = await carol.getChannelAttributes('lobby');
    expect(attributes['topic']?.value).toBe('restarts');
    expect(attributes['topic']?.lastUpdateUserId).toBe('alice');
    const blob = await carol.downloadMedia(media.mediaId);
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(file);
  });
});
