/** The channels the inspector offers with a click; any other can be typed. */
export const REALTIME_PRESETS = [
  { channel: 'rows', label: 'Rows of every table' },
  { channel: 'documents', label: 'Documents of every collection' },
  { channel: 'files', label: 'Files of every bucket' },
  { channel: 'executions', label: 'Function executions' },
  { channel: 'account', label: 'Accounts of every user' },
];

/** One event as the inspector lists it. */
export interface RealtimeEntry {
  id: number;
  at: Date;
  events: string[];
  channels: string[];
  payload: unknown;
}

export function splitChannels(text: string): string[] {
  return text
    .split(',')
    .map((channel) => channel.trim())
    .filter(Boolean);
}

/** What an `event` frame of the realtime API carries. */
export interface RealtimeEvent {
  events: string[];
  channels: string[];
  payload: unknown;
}

/** The SDK pings every 20 s so that proxies keep an idle socket open; so does the inspector. */
const PING_MS = 20_000;

/**
 * Listens to channels of a project as its administrator: admin mode, with the console's session
 * cookie, so every event of the project arrives whatever its permissions. The SDK's `subscribe`
 * cannot ask for admin mode (a browser sets no header on a websocket), so the inspector opens the
 * socket itself with `mode=admin` in the URL. Returns the function that closes it.
 */
export function listenAsAdministrator(
  endpoint: string,
  projectId: string,
  channels: string[],
  handlers: { event(event: RealtimeEvent): void; closed(reason: string): void },
): () => void {
  const url = new URL(`${endpoint.replace(/^http/, 'ws')}/realtime`);
  url.searchParams.set('project', projectId);
  url.searchParams.set('mode', 'admin');
  for (const channel of channels) url.searchParams.append('channels[]', channel);
  const socket = new WebSocket(url);
  let lastError = '';
  let stopped = false;
  const ping = setInterval(() => {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'ping' }));
  }, PING_MS);
  socket.addEventListener('message', (frame) => {
    const message = JSON.parse(String(frame.data)) as { type: string; data: unknown };
    if (message.type === 'event') handlers.event(message.data as RealtimeEvent);
    else if (message.type === 'error') lastError = (message.data as { message?: string }).message ?? '';
  });
  socket.addEventListener('close', (event) => {
    clearInterval(ping);
    if (!stopped) handlers.closed(lastError || event.reason || `The connection closed (${event.code}).`);
  });
  return () => {
    stopped = true;
    clearInterval(ping);
    socket.close();
  };
}
