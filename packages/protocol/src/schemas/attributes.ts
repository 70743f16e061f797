/** Payload schemas of the attributes domain's requests. */
export const attributesSchemas = {};
