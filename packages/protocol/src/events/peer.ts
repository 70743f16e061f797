import type { RequestErrorCodes } from './request-errors.js';

/** Requests of the peer domain (`peer:*`). */
export interface PeerClientEvents {}

/** Events the server sends in the peer domain. */
export interface PeerServerEvents {}

export const PEER_REQUEST_ERRORS: { readonly [E in keyof PeerClientEvents]: RequestErrorCodes } = {};
