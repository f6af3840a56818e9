/** What the session cookie and `X-Appwrite-Session` carry: base64 of `{"id": userId, "secret": secret}`. */
export function encodeSessionToken(userId: string, secret: string): string {
  return Buffer.from(JSON.stringify({ id: userId, secret })).toString('base64');
}

/**
 * Node's base64 decoder skips what follows the padding and any character outside the alphabet,
 * so `<token>xx` would decode as `<token>`: only a token that is exactly the encoding of what it
 * decodes to is read.
 */
export function decodeSessionToken(token: string): { userId: string; secret: string } | undefined {
  const bytes = Buffer.from(token, 'base64');
  if (bytes.toString('base64') !== token) return undefined;
  try {
    const parsed: unknown = JSON.parse(bytes.toString('utf8'));
    if (parsed && typeof parsed === 'object') {
      const { id, secret } = parsed as Record<string, unknown>;
      if (typeof id === 'string' && typeof secret === 'string' && secret !== '') return { userId: id, secret };
    }
  } catch {
    // Not a token of ours: the request is treated as a guest's.
  }
  return undefined;
}
