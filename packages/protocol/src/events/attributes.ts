import type { RequestErrorCodes } from './request-errors.js';

/** Requests of the attributes domain (`attributes:*`). */
export interface AttributesClientEvents {}

/** Events the server sends in the attributes domain. */
export interface AttributesServerEvents {}

export const ATTRIBUTES_REQUEST_ERRORS: { readonly [E in keyof AttributesClientEvents]: RequestErrorCodes } = {};
