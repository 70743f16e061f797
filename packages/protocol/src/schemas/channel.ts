/** Payload schemas of the channel domain's requests. */
export const channelSchemas = {};
