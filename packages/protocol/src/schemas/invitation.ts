/** Payload schemas of the invitation domain's requests. */
export const invitationSchemas = {};
