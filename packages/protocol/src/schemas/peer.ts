/** Payload schemas of the peer domain's requests. */
export const peerSchemas = {};
