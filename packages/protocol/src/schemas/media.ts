/** Payload schemas of the media domain's requests. */
export const mediaSchemas = {};
