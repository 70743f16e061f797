// Property: every raw HTTP request, however malformed, is answered without a 5xx, or refused by
// closing the connection, within a bounded time; no answer contains a file from outside the
// served directory; the server stays up without logging an error.
import fc from 'fast-check';
import { describeRequest, httpRequest, rawExchange, requestBytes, statusesOf } from './http.mjs';

/** How long a request may go unanswered, its connection open, after the client's last byte. */
const HTTP_ANSWER_MS = 5_000;

/** @type {fc.Arbitrary<import('./http.mjs').HttpRequest[]>} */
export const httpCase = fc.array(httpRequest, { minLength: 1, maxLength: 4 });

/**
 * @param {import('./context.mjs').FuzzContext} ctx
 * @param {import('./http.mjs').HttpRequest[]} requests
 * @param {{ requests: number, statuses: Record<string, number> }} stats
 */
export async function runHttpCase(ctx, requests, stats) {
  await ctx.ready();
  const errorsBefore = ctx.target.errors.length;
  const live = await ctx.liveSession();
  const problems = [];
  const lines = [];
  for (const [n, r] of requests.entries()) {
    const bytes = requestBytes(r, live);
    lines.push(`  ${n + 1}. ${describeRequest(bytes)}`);
    const { response, timedOut } = await rawExchange(ctx.target.port, bytes, HTTP_ANSWER_MS);
    stats.requests++;
    const statuses = statusesOf(response);
    for (const status of statuses) stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
    if (statuses.length === 0) stats.statuses['closed'] = (stats.statuses['closed'] ?? 0) + 1;
    if (timedOut && statuses.length === 0) problems.push(`request ${n + 1}: no answer and the connection still open ${HTTP_ANSWER_MS} ms after the request was complete`);
    const failed = statuses.filter((s) => s >= 500);
    if (failed.length > 0) problems.push(`request ${n + 1}: answered ${failed.join(', ')}: ${JSON.stringify(response.slice(0, 300))}`);
    if (response.includes(ctx.target.secretMarker)) problems.push(`request ${n + 1}: the answer holds a file from outside the served directory`);
  }
  problems.push(...(await ctx.serverProblems(errorsBefore)));
  if (problems.length > 0) throw new Error(`${problems.join('\n')}\nrequests:\n${lines.join('\n')}`);
}

/**
 * @param {import('./context.mjs').FuzzContext} ctx
 * @param {{ requests: number, statuses: Record<string, number> }} stats
 */
export function httpProperty(ctx, stats) {
  return fc.asyncProperty(httpCase, (requests) => runHttpCase(ctx, requests, stats));
}
