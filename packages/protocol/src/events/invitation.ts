import type { RequestErrorCodes } from './request-errors.js';

/** Requests of the invitation domain (`invitation:*`). */
export interface InvitationClientEvents {}

/** Events the server sends in the invitation domain. */
export interface InvitationServerEvents {}

export const INVITATION_REQUEST_ERRORS: { readonly [E in keyof InvitationClientEvents]: RequestErrorCodes } = {};
