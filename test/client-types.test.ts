import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Type-checks app code against the PUBLISHED types of @rtm-kit/client (dist/*.d.ts, as an app's
 * compiler sees them; the other tests see the sources). `@ts-expect-error` lines must fail to
 * compile, so what they name is not in the public surface. Needs `npm run build` (run by
 * `npm test`).
 */
const APP = `
import AgoraRTM, { type RtmMessage, type RtmStatusCode } from '@rtm-kit/client';

const client = AgoraRTM.createInstance('0123456789abcdef0123456789abcdef');
const channel = client.createChannel('lobby');
const local = client.createLocalInvitation('bob');
client.on('RemoteInvitationReceived', (remote) => {
  remote.response = 'ok'; // the callee's answer: writable
  // @ts-expect-error read-only, as in 1.x
  remote.content = 'x';
  // @ts-expect-error read-only, as in 1.x
  remote.channelId = 'x';
  // @ts-expect-error internal
  remote.callId;
  // @ts-expect-error internal
  remote.apply;
});
local.content = 'hi';
local.channelId = 'room';
// @ts-expect-error read-only, as in 1.x
local.response = 'x';
// @ts-expect-error internal
local.callId;
// @ts-expect-error internal
local.markKnown();
// @ts-expect-error internal
local.fail('UNKNOWN');
// @ts-expect-error internal
client.connection;
// @ts-expect-error internal
client.channels;
// @ts-expect-error internal
channel.notifyAttributesUpdated({});

const state: RtmStatusCode.ConnectionState = client.connectionState;
const text = (m: RtmMessage): string | undefined => m.text;
export { state, text };
`;

function tsc(project: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project], { cwd: root });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('@rtm-kit/client published types', () => {
  let dir: string;
  beforeAll(async () => {
    // Inside the repository so '@rtm-kit/client' resolves through node_modules like an app's.
    dir = await mkdtemp(join(root, 'node_modules', '.rtm-kit-types-'));
    await writeFile(join(dir, 'app.ts'), APP);
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', lib: ['ES2022', 'DOM'], skipLibCheck: false, types: [] },
        files: ['app.ts', join(root, 'packages/client/test/compat/written-for-1x.ts')],
      }),
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('hide the SDK internals, keep 1.x read-only fields read-only, and compile 1.x-style code', async () => {
    const { code, output } = await tsc(dir);
    expect(output).toBe('');
    expect(code).toBe(0);
  }, 60_000);
});
