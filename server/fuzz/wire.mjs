// A raw socket.io client: engine.io v4 over a WebSocket, with every frame written by the caller
// exactly as given, so the fuzzer can send what no well-behaved client would (malformed packets,
// stray binary frames, duplicate CONNECTs, ack ids of its choosing). It decodes just enough of
// what the server sends to see connects, connect errors, acknowledgements and events.
import WebSocket from 'ws';

/** socket.io packet types (socket.io-parser `PacketType`). */
export const PACKET = { CONNECT: 0, DISCONNECT: 1, EVENT: 2, ACK: 3, CONNECT_ERROR: 4, BINARY_EVENT: 5, BINARY_ACK: 6 };

/**
 * @typedef {{ type: number, nsp: string, id: number | null, data: unknown, raw: string }} Packet
 * @typedef {{ text: string, binaries: Uint8Array[] }} Frame a socket.io packet as sent: one text
 *   frame (without the engine.io "4") and the binary frames of its attachments
 */

/**
 * Decodes one socket.io packet the server sent (text part only).
 * @param {string} raw
 * @returns {Packet | null}
 */
export function decodePacket(raw) {
  const match = /^(\d)(?:(\d+)-)?(?:(\/[^,]*),)?(\d+)?([\s\S]*)$/.exec(raw);
  if (!match) return null;
  const [, type = '', , nsp = '/', id, json = ''] = match;
  let data;
  try {
    data = json === '' ? undefined : JSON.parse(json);
  } catch {
    return null;
  }
  return { type: Number(type), nsp, id: id === undefined ? null : Number(id), data, raw };
}

export class WireConnection {
  /** @type {WebSocket} */
  #ws;
  /** Every socket.io packet received, in order. */
  /** @type {Packet[]} */
  packets = [];
  /** Binary frames still owed to the last binary packet. */
  #owed = 0;
  /** @type {Set<() => void>} */
  #listeners = new Set();
  closed = false;
  /** @type {{ code: number, reason: string } | null} */
  closedBy = null;
  /** Bytes written, for reports. */
  sentBytes = 0;

  /** @param {WebSocket} ws */
  constructor(ws) {
    this.#ws = ws;
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        if (this.#owed > 0) this.#owed--;
        return;
      }
      this.#onText(String(data));
    });
    ws.on('close', (code, reason) => {
      this.closed = true;
      this.closedBy = { code, reason: String(reason) };
      this.#notify();
    });
    // An error is always followed by 'close'; the fuzzer looks at `closed`.
    ws.on('error', () => {});
  }

  /**
   * Opens the engine.io session (the open packet arrives first); no socket.io namespace yet.
   * @param {string} url the server's http://host:port
   * @param {number} [timeoutMs]
   * @returns {Promise<WireConnection>}
   */
  static open(url, timeoutMs = 5_000) {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, {
      perMessageDeflate: false,
      handshakeTimeout: timeoutMs,
    });
    const conn = new WireConnection(ws);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error('engine.io open packet not received'));
      }, timeoutMs);
      ws.once('message', (data) => {
        clearTimeout(timer);
        if (String(data).startsWith('0')) resolve(conn);
        else reject(new Error(`unexpected first frame ${String(data).slice(0, 80)}`));
      });
      ws.once('close', () => {
        clearTimeout(timer);
        reject(new Error('closed before the engine.io open packet'));
      });
    });
  }

  /** @param {string} text */
  #onText(text) {
    // engine.io: 2 ping (answered with 3 pong), 4 message, 1 close; others are of no interest.
    if (text === '2') {
      this.#write('3');
      return;
    }
    if (!text.startsWith('4')) return;
    const packet = decodePacket(text.slice(1));
    if (!packet) return;
    const attachments = /^[56](\d+)-/.exec(packet.raw);
    if (attachments) this.#owed = Number(attachments[1]);
    // Deliveries that ask for an acknowledgement (peer messages, invitations) get one, as from a
    // real client: the server waits up to 5 s for it, and the fuzzer is not here to time that.
    if ((packet.type === PACKET.EVENT || packet.type === PACKET.BINARY_EVENT) && packet.id !== null) {
      this.#write(`43${packet.nsp === '/' ? '' : `${packet.nsp},`}${packet.id}[]`);
    }
    this.packets.push(packet);
    this.#notify();
  }

  #notify() {
    for (const listener of [...this.#listeners]) listener();
  }

  /** @param {string | Uint8Array} data */
  #write(data) {
    if (this.#ws.readyState !== WebSocket.OPEN) return;
    this.sentBytes += typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
    this.#ws.send(data);
  }

  /** Writes an engine.io frame as is (`"4..."` is a socket.io packet, anything else is engine.io's). */
  /** @param {string | Uint8Array} data */
  sendRaw(data) {
    this.#write(data);
  }

  /** @param {Frame} frame */
  send(frame) {
    this.#write(`4${frame.text}`);
    for (const binary of frame.binaries) this.#write(binary);
  }

  /**
   * The CONNECT packet of a namespace, with `auth` as its payload (any JSON text).
   * @param {string} authJson
   * @param {string} [nsp]
   */
  connect(authJson, nsp = '/') {
    this.#write(`40${nsp === '/' ? '' : `${nsp},`}${authJson}`);
  }

  /**
   * Resolves with the first packet (in arrival order, from `from` on) that `match` accepts, or
   * null when the connection closes or `timeoutMs` passes first.
   * @param {(packet: Packet) => boolean} match
   * @param {number} timeoutMs
   * @param {number} [from]
   * @returns {Promise<Packet | null>}
   */
  waitFor(match, timeoutMs, from = 0) {
    return new Promise((resolve) => {
      const check = () => {
        const found = this.packets.slice(from).find(match);
        if (found || this.closed) {
          this.#listeners.delete(check);
          clearTimeout(timer);
          resolve(found ?? null);
        }
      };
      const timer = setTimeout(() => {
        this.#listeners.delete(check);
        resolve(null);
      }, timeoutMs);
      this.#listeners.add(check);
      check();
    });
  }

  /**
   * Waits until `done()` holds, the connection closes, or `timeoutMs` passes.
   * @param {() => boolean} done
   * @param {number} timeoutMs
   */
  until(done, timeoutMs) {
    return new Promise((resolve) => {
      const check = () => {
        if (done() || this.closed) {
          this.#listeners.delete(check);
          clearTimeout(timer);
          resolve(undefined);
        }
      };
      const timer = setTimeout(() => {
        this.#listeners.delete(check);
        resolve(undefined);
      }, timeoutMs);
      this.#listeners.add(check);
      check();
    });
  }

  /** The acknowledgement of a request id, if it has arrived. */
  /** @param {number} id */
  ackOf(id) {
    return this.packets.find((p) => (p.type === PACKET.ACK || p.type === PACKET.BINARY_ACK) && p.id === id);
  }

  /** Closes the TCP connection at once, as a client that vanishes does. */
  destroy() {
    this.#ws.terminate();
  }
}

/**
 * Logs in over a raw connection: the engine.io open, the CONNECT with `auth`, then the
 * `session:ready` event. Resolves with the connection and what the server answered.
 * @param {string} url
 * @param {string} authJson
 * @param {number} [timeoutMs]
 */
export async function wireLogin(url, authJson, timeoutMs = 5_000) {
  const conn = await WireConnection.open(url, timeoutMs);
  conn.connect(authJson);
  const answer = await conn.waitFor((p) => p.nsp === '/' && (p.type === PACKET.CONNECT || p.type === PACKET.CONNECT_ERROR), timeoutMs);
  if (answer?.type !== PACKET.CONNECT) return { conn, answer, ready: null };
  const ready = await conn.waitFor(
    (p) => p.type === PACKET.EVENT && Array.isArray(p.data) && p.data[0] === 'session:ready',
    timeoutMs,
  );
  const info = /** @type {{ sessionId?: string } | undefined} */ (Array.isArray(ready?.data) ? ready.data[1] : undefined);
  return { conn, answer, ready: info ?? null };
}
