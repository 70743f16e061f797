'use client';

import type { RtmError } from '@rtm-kit/store';
import type { AttributesMap, AttributesStatus, ChannelAttributeOptions, ChannelAttributes } from '@rtm-kit/store';
import { useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { EMPTY_RECORD } from './constants.js';
import { useRtmContext } from './context.js';
import { useChannelLease } from './useChannelLease.js';

export interface UseChannelAttributesOptions {
  /** Load and follow the attributes only while true (default true). */
  enabled?: boolean;
  /**
   * Also hold the channel joined (shared with `useChannel`), so `AttributesUpdated` arrives
   * even when no other component joins it: 1.x notifies members only (spec §2.5). Default false.
   */
  join?: boolean;
}

export interface UseChannelAttributesResult {
  /** Key to `{ value, lastUpdateUserId, lastUpdateTs }`. */
  readonly attributes: ChannelAttributes;
  /** `loading` only before the first answer. */
  readonly status: AttributesStatus;
  /** The last failed read or write. */
  readonly error: RtmError | null;
  /** Replace all attributes. Rejects with the client's error (also in `error`). */
  set(attributes: AttributesMap, options?: ChannelAttributeOptions): Promise<void>;
  /** Add or change some attributes. */
  addOrUpdate(attributes: AttributesMap, options?: ChannelAttributeOptions): Promise<void>;
  /** Delete attributes by key. */
  remove(keys: readonly string[], options?: ChannelAttributeOptions): Promise<void>;
  /** Delete all attributes. */
  clear(options?: ChannelAttributeOptions): Promise<void>;
  /** Read them again now. */
  refresh(): Promise<void>;
}

/**
 * A channel's attributes (no need to join, spec §2.5): loaded once logged in, kept fresh from
 * this client's own writes, from `AttributesUpdated` while the channel is joined (e.g. with
 * `useChannel`, or `{ join: true }`; writers must pass `enableNotificationToChannelMembers: true`),
 * and on `refresh()`.
 *
 * @example
 * const { attributes, addOrUpdate } = useChannelAttributes('room-1');
 * return (
 *   <button onClick={() => addOrUpdate({ topic: 'Standup' }, { enableNotificationToChannelMembers: true })}>
 *     Topic: {attributes['topic']?.value ?? 'none'}
 *   </button>
 * );
 */
export function useChannelAttributes(channelId: string, options: UseChannelAttributesOptions = {}): UseChannelAttributesResult {
  const { store } = useRtmContext('useChannelAttributes');
  const enabled = options.enabled ?? true;
  useChannelLease(store, channelId, enabled && options.join === true);
  useEffect(() => {
    if (!enabled) return;
    return store.getState().acquireChannelAttributes(channelId);
  }, [store, channelId, enabled]);
  const view = useStore(
    store,
    useShallow((s) => {
      const entry = s.channelAttributes[channelId];
      return { attributes: entry?.attributes ?? EMPTY_RECORD, status: entry?.status ?? 'idle', error: entry?.error ?? null };
    }),
  );
  const actions = useMemo(() => {
    const state = () => store.getState();
    return {
      set: (attributes: AttributesMap, o?: ChannelAttributeOptions) => state().setChannelAttributes(channelId, attributes, o),
      addOrUpdate: (attributes: AttributesMap, o?: ChannelAttributeOptions) => state().addOrUpdateChannelAttributes(channelId, attributes, o),
      remove: (keys: readonly string[], o?: ChannelAttributeOptions) => state().deleteChannelAttributesByKeys(channelId, keys, o),
      clear: (o?: ChannelAttributeOptions) => state().clearChannelAttributes(channelId, o),
      refresh: () => state().refreshChannelAttributes(channelId),
    };
  }, [store, channelId]);
  return { ...view, ...actions };
}
