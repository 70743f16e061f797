import type { RequestErrorCodes } from './request-errors.js';

/** Requests of the media domain (`media:*`). */
export interface MediaClientEvents {}

/** Events the server sends in the media domain. */
export interface MediaServerEvents {}

export const MEDIA_REQUEST_ERRORS: { readonly [E in keyof MediaClientEvents]: RequestErrorCodes } = {};
