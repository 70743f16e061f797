/**
 * The one way the memory store keys its maps: the app ID followed by the thing's ID. App IDs are
 * exactly 32 letters and digits, so the concatenation is unambiguous whatever the ID holds (a
 * uid, a channel ID, a call ID, a session ID), and it costs one string per lookup.
 */
export function appKey(appId: string, id: string): string {
  return appId + id;
}
