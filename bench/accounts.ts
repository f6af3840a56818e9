import { request } from 'node:http';

/** A JSON POST with node:http, returning the status, the body and the Set-Cookie lines. */
function postJson(url: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; body: string; cookies: string[] }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = request(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text, cookies: response.headers['set-cookie'] ?? [] }));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export const BENCH_USER = { email: 'bench@example.com', password: 'bench password' };

/** Signs a user up and in; returns the session token the cookie carries, for `X-Appwrite-Session`. */
export async function signUpAndIn(baseUrl: string, projectId: string): Promise<string> {
  const headers = { 'X-Appwrite-Project': projectId };
  const created = await postJson(`${baseUrl}/v1/account`, headers, { userId: 'unique()', ...BENCH_USER });
  if (created.status !== 201) throw new Error(`sign-up answered ${created.status}: ${created.body}`);
  const session = await postJson(`${baseUrl}/v1/account/sessions/email`, headers, BENCH_USER);
  if (session.status !== 201) throw new Error(`sign-in answered ${session.status}: ${session.body}`);
  const cookie = session.cookies.find((line) => line.startsWith(`a_session_${projectId}=`));
  if (!cookie) throw new Error('sign-in set no session cookie');
  return decodeURIComponent(cookie.split(';')[0]!.split('=')[1]!);
}
