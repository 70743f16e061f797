// @vitest-environment node
import { renderToString } from 'react-dom/server';
import { expect, it } from 'vitest';
import AgoraRTM from '@rtm-kit/client';
import { RtmProvider } from '@rtm-kit/react';
import { APP_ID } from './helpers.js';

it('imports and renders CallDialog and CallButton on the server without a DOM', async () => {
  expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
  expect(typeof (globalThis as { document?: unknown }).document).toBe('undefined');
  const { CallButton, CallDialog, RtmStringsProvider } = await import('@rtm-kit/ui');
  const html = renderToString(
    <RtmProvider appId={APP_ID} uid="alice" serverUrl="http://127.0.0.1:9" config={{ logFilter: AgoraRTM.LOG_FILTER_OFF }}>
      <RtmStringsProvider strings={{ callPeer: (peerId) => `Appeler ${peerId}` }}>
        <CallDialog ringtone="/ring.mp3" theme="dark" />
        <CallButton peerId="bob" />
      </RtmStringsProvider>
    </RtmProvider>,
  );
  // Nothing is connected on the server: the button is disabled with its reason, no dialog is open.
  expect(html).toContain('<div role="status" class="rtm-visually-hidden rtm-call-announcer"></div>');
  expect(html).toMatch(/<button type="button" class="rtm-button rtm-call-button" data-variant="primary" data-state="unavailable" disabled="" aria-describedby="[^"]+" title="Calls are possible once connected">Appeler bob<\/button>/);
  expect(html).toContain('Calls are possible once connected</span>');
  expect(html).not.toContain('dialog');
});
