import type { RequestErrorCodes } from './request-errors.js';

/** Requests of the presence domain (`presence:*`). */
export interface PresenceClientEvents {}

/** Events the server sends in the presence domain. */
export interface PresenceServerEvents {}

export const PRESENCE_REQUEST_ERRORS: { readonly [E in keyof PresenceClientEvents]: RequestErrorCodes } = {};
