/**
 * The baseline: bare socket.io doing the transport work of each workload, with nothing else.
 * Started by the run script as its own process; see ../../README.md for what each event stands for.
 *
 * - Handshake: one HMAC-SHA256 token check (`verifyBareToken`), then the socket joins `u:<uid>`.
 * - `p2p` (peer message with receipt): relayed to `u:<to>` with an acknowledgement; the sender's
 *   acknowledgement says whether the receiver acknowledged within 5 s.
 * - `join` / `sub`: join the rooms `c:<channel>` / `s:<uid>` (status subscriptions).
 * - `pub` (channel message): to `c:<channel>` except the sender, then acknowledged.
 * - `attr` (channel attribute with notification): kept in a map, the channel's whole map sent to
 *   `c:<channel>` (the writer included), then acknowledged.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { SOCKET_IO_SERVER_OPTIONS, verifyBareToken } from '../config.mjs';
import { serveControl } from './control.mjs';

const httpServer = createServer((req, res) => {
  res.writeHead(404).end();
});
// A copy: socket.io writes into the options it is given.
const io = new Server(httpServer, { ...SOCKET_IO_SERVER_OPTIONS, cors: { ...SOCKET_IO_SERVER_OPTIONS.cors } });
/** channel → key → { value, lastUpdateUserId, lastUpdateTs } */
const attributes = new Map();

io.use((socket, next) => {
  const { appId, uid, token } = socket.handshake.auth ?? {};
  const verified = verifyBareToken(appId, uid, token, Date.now() / 1000);
  if (verified === null) next(new Error('unauthorized'));
  else {
    socket.data.uid = verified;
    next();
  }
});

io.on('connection', (socket) => {
  const { uid } = socket.data;
  socket.join(`u:${uid}`);

  socket.on('p2p', ({ to, body }, ack) => {
    io.to(`u:${to}`)
      .timeout(5_000)
      .emitWithAck('msg', { from: uid, body })
      .then(
        (responses) => ack({ received: responses.length > 0 }),
        () => ack({ received: false }),
      );
  });

  socket.on('join', ({ channel }, ack) => {
    socket.join(`c:${channel}`);
    ack({ ok: true });
  });

  socket.on('sub', ({ uids }, ack) => {
    socket.join(uids.map((peer) => `s:${peer}`));
    ack({ ok: true });
  });

  socket.on('pub', ({ channel, body }, ack) => {
    socket.to(`c:${channel}`).emit('cmsg', { channel, from: uid, body });
    ack({ ok: true });
  });

  socket.on('attr', ({ channel, key, value }, ack) => {
    let map = attributes.get(channel);
    if (!map) attributes.set(channel, (map = new Map()));
    map.set(key, { value, lastUpdateUserId: uid, lastUpdateTs: Date.now() });
    io.to(`c:${channel}`).emit('attrs', { channel, attributes: Object.fromEntries(map) });
    ack({ ok: true });
  });
});

httpServer.listen(0, '127.0.0.1', () => {
  const { port } = httpServer.address();
  serveControl({
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => io.close(() => resolve())),
  });
});
