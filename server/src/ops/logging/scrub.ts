/**
 * `text` with every configured secret (8 characters or more) and anything shaped like an
 * AccessToken2 token or URL credentials masked, and cut to 8 000 characters: messages and error
 * stacks can carry what a client sent.
 */
export function scrubText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 8) out = out.split(secret).join('***');
  return out
    .replace(/007[A-Za-z0-9+/=]{16,}/g, '007***')
    .replace(/(\/\/)[^/@\s:]*:[^/@\s]*@/g, '$1***@')
    .replace(/(Bearer\s+)\S+/gi, '$1***')
    .slice(0, 8_000);
}
