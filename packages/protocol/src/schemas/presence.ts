/** Payload schemas of the presence domain's requests. */
export const presenceSchemas = {};
