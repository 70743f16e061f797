// Users who have nothing to do with the attack: real @rtm-kit/client instances, logged in the way
// an app logs in. While the fuzzer attacks, one sends peer messages to the other and times how
// long each takes to arrive; afterwards they ask the server which of the attackers' uids it still
// thinks are online.
import AgoraRTM from '@rtm-kit/client';
import agoraToken from 'agora-token';
import { isValidUserId } from '@rtm-kit/protocol';
import { APPS } from './target.mjs';

// agora-token is CommonJS.
const { RtmTokenBuilder } = agoraToken;

export const BYSTANDER_UIDS = ['bystander-a', 'bystander-b'];
const OBSERVER_UID = 'observer';

/** @typedef {{ at: number, ms: number, ok: boolean, error?: string }} ProbeSample */

export class Bystander {
  /** @type {import('@rtm-kit/client').RtmClient} */ #a;
  /** @type {import('@rtm-kit/client').RtmClient} */ #b;
  /** @type {import('@rtm-kit/client').RtmClient} */ #observer;
  /** Connection state changes of the two users after their login, as "STATE/REASON". */
  /** @type {string[]} */
  changes = [];
  /** @type {ProbeSample[]} */
  samples = [];
  #sequence = 0;
  /** @type {Map<string, () => void>} */
  #awaited = new Map();
  /** @type {ReturnType<typeof setTimeout> | null} */
  #timer = null;
  #probing = false;

  /**
   * @param {import('@rtm-kit/client').RtmClient} a
   * @param {import('@rtm-kit/client').RtmClient} b
   * @param {import('@rtm-kit/client').RtmClient} observer
   */
  constructor(a, b, observer) {
    this.#a = a;
    this.#b = b;
    this.#observer = observer;
    b.on('MessageFromPeer', (message, peerId) => {
      const text = /** @type {{ text?: string }} */ (message).text;
      if (peerId !== BYSTANDER_UIDS[0] || typeof text !== 'string') return;
      this.#awaited.get(text)?.();
    });
    for (const [uid, client] of [
      [BYSTANDER_UIDS[0], a],
      [BYSTANDER_UIDS[1], b],
    ]) {
      /** @type {import('@rtm-kit/client').RtmClient} */ (client).on('ConnectionStateChanged', (state, reason) => {
        this.changes.push(`${uid} ${state}/${reason}`);
      });
    }
  }

  /** Logs the two users in (with tokens) and the observer (in the open app). */
  /** @param {string} serverUrl */
  static async start(serverUrl) {
    const { appId, appCertificate } = APPS.tokens;
    const config = { serverUrl, logFilter: AgoraRTM.LOG_FILTER_OFF };
    const a = AgoraRTM.createInstance(appId, config);
    const b = AgoraRTM.createInstance(appId, config);
    const observer = AgoraRTM.createInstance(APPS.open.appId, config);
    const [uidA = '', uidB = ''] = BYSTANDER_UIDS;
    await a.login({ uid: uidA, token: RtmTokenBuilder.buildToken(appId, appCertificate, uidA, 3_600) });
    await b.login({ uid: uidB, token: RtmTokenBuilder.buildToken(appId, appCertificate, uidB, 3_600) });
    await observer.login({ uid: OBSERVER_UID });
    return new Bystander(a, b, observer);
  }

  /**
   * One peer message from a to b: the time until b has it and a has its acknowledgement.
   * @param {number} [timeoutMs]
   * @returns {Promise<ProbeSample>}
   */
  async probe(timeoutMs = 5_000) {
    const text = `probe-${++this.#sequence}`;
    const started = performance.now();
    const received = new Promise((resolve) => this.#awaited.set(text, () => resolve(undefined)));
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const sent = this.#a.sendMessageToPeer({ text }, BYSTANDER_UIDS[1] ?? '');
      const [result] = await Promise.race([Promise.all([sent, received]), timeout]);
      const ok = /** @type {{ hasPeerReceived: boolean }} */ (result).hasPeerReceived === true;
      return { at: Date.now(), ms: performance.now() - started, ok, ...(ok ? {} : { error: 'hasPeerReceived is false' }) };
    } catch (error) {
      return { at: Date.now(), ms: performance.now() - started, ok: false, error: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
      this.#awaited.delete(text);
    }
  }

  /** Probes every `intervalMs` (one at a time) until `stopProbing`. */
  /** @param {number} intervalMs */
  startProbing(intervalMs) {
    this.#probing = true;
    const next = async () => {
      if (!this.#probing) return;
      this.samples.push(await this.probe());
      if (this.#probing) this.#timer = setTimeout(next, intervalMs);
    };
    this.#timer = setTimeout(next, intervalMs);
  }

  stopProbing() {
    this.#probing = false;
    if (this.#timer) clearTimeout(this.#timer);
  }

  /**
   * Which of these users the server reports online (each list asked from inside its own app).
   * @param {string[]} tokensAppUids
   * @param {string[]} openAppUids
   * @returns {Promise<string[]>}
   */
  async stillOnline(tokensAppUids, openAppUids) {
    // Only valid IDs can be asked about (and only they can log in: the server refuses others).
    tokensAppUids = tokensAppUids.filter((uid) => isValidUserId(uid));
    openAppUids = openAppUids.filter((uid) => isValidUserId(uid));
    const online = [];
    for (const [client, uids] of /** @type {const} */ ([
      [this.#a, tokensAppUids],
      [this.#observer, openAppUids],
    ])) {
      for (let i = 0; i < uids.length; i += 200) {
        const statuses = await client.queryPeersOnlineStatus(uids.slice(i, i + 200));
        for (const [uid, isOnline] of Object.entries(statuses)) if (isOnline) online.push(uid);
      }
    }
    return online;
  }

  async close() {
    this.stopProbing();
    await Promise.allSettled([this.#a.logout(), this.#b.logout(), this.#observer.logout()]);
  }
}
