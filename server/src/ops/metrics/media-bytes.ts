import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerMetrics } from './server-metrics.js';

/**
 * Counts the bytes of a media request (`/media/...`) once it is over: the request body's declared
 * length when the body was read to its end (the upload; clients send uploads with a length), and
 * what the connection wrote for the response (the download, headers included). No stream
 * listeners, so the media handler's own reading and back-pressure stay exactly as they are.
 */
export function countMediaBytes(req: IncomingMessage, res: ServerResponse, metrics: ServerMetrics): void {
  const socket = req.socket;
  const writtenAtStart = socket.bytesWritten;
  res.once('close', () => {
    const declared = Number(req.headers['content-length'] ?? 0);
    const upload = req.complete && Number.isSafeInteger(declared) && declared > 0 ? declared : 0;
    const download = socket.bytesWritten - writtenAtStart;
    if (upload > 0) metrics.mediaBytes.inc({ direction: 'upload' }, upload);
    if (download > 0) metrics.mediaBytes.inc({ direction: 'download' }, download);
  });
}
