import type { RtmError } from '@rtm-kit/client';
import type { AttributesMap } from '../rtm-api.js';
import { KeyedResource } from '../resource.js';
import { toRtmError, type Slice, type SliceContext } from '../slice.js';
import type { AttributesStatus } from './channel-attributes.js';
import { keyed } from '../records.js';

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
  const resource = new KeyedResource<UserAttributesEntry>(ctx, {
    entries: (s) => s.userAttributes,
    replace: (userAttributes) => ({ userAttributes }),
    empty: emptyEntry,
    fetch: async (uid) => ({ attributes: await client.getUserAttributes(uid) }),
  });

  /** The own attributes are no keyed entry: a write's error goes to `localAttributesError`. */
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
    if (uid !== null && ctx.get().userAttributes[uid] !== undefined) resource.receive(uid, { attributes: next });
  }

  return {
    state: {
      userAttributes: keyed(),
      localAttributes: EMPTY,
      localAttributesError: null,
      acquireUserAttributes: (uid) => resource.acquire(uid),
      refreshUserAttributes: (uid) => resource.refresh(uid),
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
    connectionChanged: (state) => resource.connectionChanged(state),
    reset: (s) => ({ ...resource.reset(s), localAttributes: EMPTY, localAttributesError: null }),
  };
}
