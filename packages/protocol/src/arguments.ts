import { isValidId } from './identifiers.js';

/**
 * Argument rules of the ID-list operations, shared by the client's early checks and the server's
 * enforcement so both refuse the same input in the same order. `TOO_MANY` maps to the group's
 * count code (OVERFLOW, EXCEED_LIMIT), `INVALID_ARGUMENT` to its argument code.
 */
export interface ArgumentProblem {
  readonly code: 'INVALID_ARGUMENT' | 'TOO_MANY';
  readonly message: string;
}

/**
 * Peer IDs of `queryPeersOnlineStatus` and `(un)subscribePeersOnlineStatus` (§2.6): a non-empty
 * array of valid IDs with at most `max` distinct ones (a repeated ID counts once).
 */
export function peerIdsProblem(peerIds: unknown, max: number, idMaxLength: number): ArgumentProblem | null {
  if (!Array.isArray(peerIds) || peerIds.length === 0) return { code: 'INVALID_ARGUMENT', message: 'Pass a non-empty array of peer IDs.' };
  for (const id of peerIds) {
    if (!isValidId(id, idMaxLength)) {
      return { code: 'INVALID_ARGUMENT', message: `Every peer ID must be 1–${idMaxLength} characters of the allowed set and not "null".` };
    }
  }
  if (new Set(peerIds).size > max) return { code: 'TOO_MANY', message: `At most ${max} peer IDs per call.` };
  return null;
}

/**
 * Channel IDs of `getChannelMemberCount` (§2.6): a non-empty array of at most `max` entries
 * (repeats count; the count is checked before the IDs), each a valid ID.
 */
export function channelIdsProblem(channelIds: unknown, max: number, idMaxLength: number): ArgumentProblem | null {
  if (!Array.isArray(channelIds) || channelIds.length === 0) return { code: 'INVALID_ARGUMENT', message: 'Pass a non-empty array of channel IDs.' };
  if (channelIds.length > max) return { code: 'TOO_MANY', message: `At most ${max} channel IDs per call.` };
  if (!channelIds.every((id) => isValidId(id, idMaxLength))) {
    return { code: 'INVALID_ARGUMENT', message: `Every channel ID must be 1–${idMaxLength} characters of the allowed set and not "null".` };
  }
  return null;
}
