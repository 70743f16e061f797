import type { ReactNode } from 'react';
import axe from 'axe-core';
import AgoraRTM from '@rtm-kit/client';
import { RtmProvider } from '@rtm-kit/react';

export const APP_ID = '0123456789abcdef0123456789abcdef';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** One user's app: a provider logged in as `uid` against the test server, around `children`. */
export function AsUser({ serverUrl, uid, children }: { serverUrl: string; uid: string; children?: ReactNode }) {
  return (
    <RtmProvider appId={APP_ID} uid={uid} serverUrl={serverUrl} config={{ logFilter: AgoraRTM.LOG_FILTER_OFF }}>
      {children}
    </RtmProvider>
  );
}

/**
 * axe-core's violations in `root` (default: the whole document), as "rule: target" lines so a
 * failing expectation says what is wrong. Rules that need real layout (colour contrast) are
 * checked in the browser, not in a DOM without rendering.
 */
export async function axeViolations(root: Element = document.body): Promise<string[]> {
  const result = await axe.run(root, { rules: { 'color-contrast': { enabled: false } }, resultTypes: ['violations'] });
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} (${v.help})`));
}
