/** What the session cookie and `X-Appwrite-Session` carry: base64 of `{"id": userId, "secret": secret}`. */
export function encodeSessionToken(userId: string, secret: string): string {
  return Buffer.from(JSON.stringify({ id: userId, secret })).toString('base64');
}

export function decodeSessionToken(token: string): { userId: string; secret: string } | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (parsed && typeof parsed === 'object') {
      const { id, secret } = parsed as Record<string, unknown>;
      if (typeof id === 'string' && typeof secret === 'string' && secret !== '') return { userId: id, secret };
    }
  } catch {
    // Not a token of ours: the request is treated as a guest's.
  }
  return undefined;
}
