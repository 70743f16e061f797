import type { RtmError } from '@rtm-kit/client';
import { Leases } from '../leases.js';
import type { AttributesMap } from '../rtm-api.js';
import { toRtmError, type Slice, type SliceContext } from '../slice.js';
import type { AttributesStatus } from './channel-attributes.js';
import { keyed, withEntry } from '../records.js';

/** One user's attributes as last read. 1.x sends no notification when they change (§2.4). */
export interface UserAttributesEntry {
  readonly uid: string;
  readonly status: AttributesStatus;
  readonly error: RtmError | null;
  readonly attributes: AttributesMap;
}

export interface UserAttributesSlice {
  readonly userAttributes: { readonly [uid: string]: UserAttributesEntry };
  /** This user's own attributes as written through the store; cleared at logout (§9.6). */
  readonly localAttributes: AttributesMap;
  /** The last failed write of the own attributes. */
  readonly localAttributesError: RtmError | null;
  /** Keep a user's attributes loaded: fetched once logged in and again after reconnecting. */
  acquireUserAttributes(uid: string): () => void;
  /** Read the user's attributes now. */
  refreshUserAttributes(uid: string): Promise<void>;
  /** Replace the own attributes. Rejects with the client's error, also kept in `localAttributesError`. */
  setLocalUserAttributes(attributes: AttributesMap): Promise<void>;
  addOrUpdateLocalUserAttributes(attributes: AttributesMap): Promise<void>;
  deleteLocalUserAttributesByKeys(keys: readonly string[]): Promise<void>;
  clearLocalUserAttributes(): Promise<void>;
}

const EMPTY: AttributesMap = Object.freeze({});

function emptyEntry(uid: string): UserAttributesEntry {
  return { uid, status: 'idle', error: null, attributes: EMPTY };
}

/** The user-attributes slice: reads on demand, and the own attributes mirrored from writes. */
export function createUserAttributesSlice(ctx: SliceContext): Slice<UserAttributesSlice> {
  const { client } = ctx;
  const leases = new Leases<string>(ctx.options.releaseDelayMs, {
    first: (uid) => refreshIfConnected(uid),
    last: () => undefined,
  });

  function patch(uid: string, update: (entry: UserAttributesEntry) => Partial<UserAttributesEntry>): void {
    ctx.set((s) => {
      const current = s.userAttributes[uid] ?? emptyEntry(uid);
      return { userAttributes: withEntry(s.userAttributes, uid, { ...current, ...update(current) }) };
    });
  }

  function refreshIfConnected(uid: string): void {
    if (client.connectionState === 'CONNECTED') refresh(uid).catch(() => undefined);
  }

  async function refresh(uid: string): Promise<void> {
    // An answer that straddles a logout belongs to the session that ended: it is dropped.
    const session = ctx.session();
    patch(uid, (e) => (e.status === 'ready' ? {} : { status: 'loading' }));
    try {
      const attributes = await client.getUserAttributes(uid);
      if (ctx.session() === session) patch(uid, () => ({ status: 'ready', error: null, attributes }));
    } catch (error) {
      if (ctx.session() === session) patch(uid, () => ({ status: 'error', error: toRtmError(error) }));
      throw error;
    }
  }

  async function write(call: () => Promise<void>, apply: (current: AttributesMap) => AttributesMap): Promise<void> {
    const session = ctx.session();
    try {
      await call();
    } catch (error) {
      // The caller still gets the error; the state of the next session does not.
      if (ctx.session() === session) ctx.set({ localAttributesError: toRtmError(error) });
      throw error;
    }
    if (ctx.session() !== session) return;
    const next = apply(ctx.get().localAttributes);
    ctx.set({ localAttributes: next, localAttributesError: null });
    const uid = ctx.get().connection.uid;
    if (uid !== null && ctx.get().userAttributes[uid] !== undefined) patch(uid, () => ({ status: 'ready', error: null, attributes: next }));
  }

  return {
    state: {
      userAttributes: keyed(),
      localAttributes: EMPTY,
      localAttributesError: null,
      acquireUserAttributes(uid) {
        if (ctx.get().userAttributes[uid] === undefined) patch(uid, () => ({}));
        return leases.acquire(uid);
      },
      refreshUserAttributes: refresh,
      setLocalUserAttributes: (attributes) => write(() => client.setLocalUserAttributes({ ...attributes }), () => ({ ...attributes })),
      addOrUpdateLocalUserAttributes: (attributes) =>
        write(() => client.addOrUpdateLocalUserAttributes({ ...attributes }), (current) => ({ ...current, ...attributes })),
      deleteLocalUserAttributesByKeys: (keys) =>
        write(() => client.deleteLocalUserAttributesByKeys([...keys]), (current) => {
          const next = { ...current };
          for (const key of keys) delete next[key];
          return next;
        }),
      clearLocalUserAttributes: () => write(() => client.clearLocalUserAttributes(), () => EMPTY),
    },
    connectionChanged(state) {
      if (state !== 'CONNECTED') return;
      for (const uid of leases.keys()) refreshIfConnected(uid);
    },
    reset(s) {
      const userAttributes = keyed<UserAttributesEntry>();
      for (const uid of Object.keys(s.userAttributes)) if (leases.held(uid)) userAttributes[uid] = emptyEntry(uid);
      return { userAttributes, localAttributes: EMPTY, localAttributesError: null };
    },
  };
}
