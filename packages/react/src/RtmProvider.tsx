'use client';

import AgoraRTM, { type RtmClient, type RtmConfig } from '@rtm-kit/client';
import { createRtmStore, type RtmStore, type RtmStoreOptions, type TokenSource } from '@rtm-kit/store';
import { useEffect, useState, type ReactNode } from 'react';
import { RtmContext, type RtmContextValue } from './context.js';
import { useLatest } from './useLatest.js';

/** A login token: a string, or a function called for every login and every renewal. */
export type RtmToken = string | null | (() => Promise<string> | string);

export interface RtmProviderProps {
  /** The 32-character App ID; needed unless `client` is given. */
  appId?: string;
  /**
   * Log in as this user while set; log out when cleared or when the provider unmounts, and
   * switch users when it changes. Leave it out to manage the session yourself.
   */
  uid?: string | null;
  /**
   * The login token. A function is called for the login and again on
   * `TokenPrivilegeWillExpire`, and the token is renewed with its answer. A new string
   * renews the token of the current session.
   */
  token?: RtmToken;
  /** Where the rtm-kit server is (default: the page's origin). */
  serverUrl?: string;
  /**
   * Use this client instead of creating one (tests, Storybook, a client shared with other
   * code). Every provider given the same client shares one store, made with the first one's
   * `storeOptions`.
   */
  client?: RtmClient;
  /** `createInstance` configuration for the client the provider creates. */
  config?: RtmConfig;
  /** Store tuning: release delay, message cap, member-count poll interval. */
  storeOptions?: RtmStoreOptions;
  children?: ReactNode;
}

function createClient(props: RtmProviderProps): RtmClient {
  if (props.client !== undefined) return props.client;
  if (props.appId === undefined) throw new Error('<RtmProvider> needs an `appId` or a `client`.');
  const config: RtmConfig = props.serverUrl === undefined ? { ...props.config } : { ...props.config, serverUrl: props.serverUrl };
  return AgoraRTM.createInstance(props.appId, config);
}

/**
 * One store per given client. Two stores would each drive the client's session: a provider
 * that remounts (a `key` change, a route change) would log the shared client out from the old
 * store while the new one logs it in. With one store, the remounted provider takes back the
 * session and the joins within the release delay, and nothing goes over the wire.
 */
const storesByClient = new WeakMap<RtmClient, RtmStore>();

function createValue(props: RtmProviderProps): RtmContextValue {
  const client = createClient(props);
  if (props.client === undefined) return { client, store: createRtmStore(client, props.storeOptions) };
  let store = storesByClient.get(client);
  if (store === undefined) {
    store = createRtmStore(client, props.storeOptions);
    storesByClient.set(client, store);
  }
  return { client, store };
}

/**
 * Provides an rtm-kit client and its store to the hooks below it. The client and store are
 * created once (`appId`, `serverUrl`, `client`, `config` and `storeOptions` are read on the
 * first render only); nothing connects during render, so the provider renders on the server.
 *
 * @example
 * <RtmProvider appId={APP_ID} uid={user.id} token={() => fetchRtmToken(user.id)}>
 *   <Lobby />
 * </RtmProvider>
 */
export function RtmProvider(props: RtmProviderProps): ReactNode {
  const [value] = useState<RtmContextValue>(() => createValue(props));
  const { store } = value;
  const { uid, token } = props;
  const latestToken = useLatest(token);

  useEffect(() => store.attach(), [store]);

  // A string token is part of the request (a new one renews the token); a function token is
  // read through the latest-ref, so an inline arrow does not start a new session request.
  const isFunction = typeof token === 'function';
  const stringToken = typeof token === 'string' ? token : null;
  useEffect(() => {
    if (uid === undefined || uid === null || uid === '') return;
    const source: TokenSource = isFunction
      ? () => {
          const current = latestToken.current;
          return typeof current === 'function' ? current() : current;
        }
      : stringToken;
    return store.getState().acquireSession({ uid, token: source });
  }, [store, uid, stringToken, isFunction, latestToken]);

  return <RtmContext.Provider value={value}>{props.children}</RtmContext.Provider>;
}
