import type { RequestErrorCodes } from './request-errors.js';

/** Requests of the channel domain (`channel:*`). */
export interface ChannelClientEvents {}

/** Events the server sends in the channel domain. */
export interface ChannelServerEvents {}

export const CHANNEL_REQUEST_ERRORS: { readonly [E in keyof ChannelClientEvents]: RequestErrorCodes } = {};
