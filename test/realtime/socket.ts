import { WebSocket } from 'ws';

export interface RealtimeMessage {
  type: string;
  data: any;
}

/**
 * A raw websocket client of `/v1/realtime` that queues what the server sends, so a test
 * awaits the next message (of a type) instead of sleeping.
 */
export class RealtimeSocket {
  private readonly queue: RealtimeMessage[] = [];
  private waiter: (() => void) | undefined;
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.queue.push(JSON.parse(data.toString()) as RealtimeMessage);
      this.waiter?.();
    });
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => {
      resolve({ code, reason: reason.toString() });
      this.waiter?.();
    }));
  }

  /** Opens a socket; `query` is appended to `/v1/realtime?`. */
  static async open(endpoint: string, query: string, headers: Record<string, string> = {}): Promise<RealtimeSocket> {
    const url = `${endpoint.replace(/^http/, 'ws')}/realtime${query ? `?${query}` : ''}`;
    const socket = new WebSocket(url, { headers });
    const client = new RealtimeSocket(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  /** Opens a socket and returns it with its `connected` message. */
  static async connect(endpoint: string, query: string, headers: Record<string, string> = {}): Promise<{ socket: RealtimeSocket; connected: RealtimeMessage }> {
    const socket = await RealtimeSocket.open(endpoint, query, headers);
    const connected = await socket.next();
    if (connected.type !== 'connected') throw new Error(`expected connected, got ${JSON.stringify(connected)}`);
    return { socket, connected };
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /**
   * The next message the server sent, waiting for it; fails after the socket closed, or
   * when nothing came for a long while, so a missing event fails its test instead of hanging it.
   */
  async next(): Promise<RealtimeMessage> {
    const giveUpAt = Date.now() + 30_000;
    for (;;) {
      const message = this.queue.shift();
      if (message) return message;
      if (this.socket.readyState === WebSocket.CLOSED) throw new Error('socket closed');
      if (Date.now() >= giveUpAt) throw new Error('no message from the server within 30 s');
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        timer = setTimeout(resolve, giveUpAt - Date.now());
      });
      clearTimeout(timer);
    }
  }

  /** The next message of a type; others before it are dropped. */
  async nextOf(type: string): Promise<RealtimeMessage> {
    for (;;) {
      const message = await this.next();
      if (message.type === type) return message;
    }
  }

  /** Sends a message and returns the server's answer to it. */
  async request(message: unknown): Promise<RealtimeMessage> {
    this.send(message);
    return this.next();
  }

  /** Subscribes in message mode and returns the response. */
  async subscribe(subscriptionId: string, channels: string[], queries: string[] = []): Promise<RealtimeMessage> {
    return this.request({ type: 'subscribe', data: [{ subscriptionId, channels, queries }] });
  }

  /**
   * Proves that nothing is queued for this socket: a ping's pong is the next message, so
   * every event sent before the ping has arrived and none was.
   */
  async assertNothingBefore(label: string): Promise<void> {
    const answer = await this.request({ type: 'ping' });
    if (answer.type !== 'pong') throw new Error(`${label}: expected nothing, got ${JSON.stringify(answer)}`);
  }

  /** Messages already received and not yet read. */
  pending(): RealtimeMessage[] {
    return [...this.queue];
  }

  close(): void {
    this.socket.close();
  }
}
