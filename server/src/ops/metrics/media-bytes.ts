import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerMetrics } from './server-metrics.js';

/**
 * Counts the bytes of a media request (`/media/...`) once it is over: what the connection read
 * after the request head (the upload) and what it wrote for the response (the download, headers
 * included). Connection counters, not stream listeners, so the media handler's own reading and
 * back-pressure stay exactly as they are.
 */
export function countMediaBytes(req: IncomingMessage, res: ServerResponse, metrics: ServerMetrics): void {
  const socket = req.socket;
  const readAtStart = socket.bytesRead;
  const writtenAtStart = socket.bytesWritten;
  res.once('close', () => {
    const upload = socket.bytesRead - readAtStart;
    const download = socket.bytesWritten - writtenAtStart;
    if (upload > 0) metrics.mediaBytes.inc({ direction: 'upload' }, upload);
    if (download > 0) metrics.mediaBytes.inc({ direction: 'download' }, download);
  });
}
