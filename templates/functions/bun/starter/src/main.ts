// A first function: answers `/ping` with text and anything else with a small JSON greeting.
// `req` holds the request (method, path, headers, body); `log` and `error` go to the execution's logs.
type Context = {
  req: { method: string; path: string };
  res: { text(body: string): unknown; json(body: unknown): unknown };
  log(message: string): void;
};

export default async ({ req, res, log }: Context) => {
  if (req.path === '/ping') return res.text('Pong');
  log(`Called with ${req.method} ${req.path} on Bun ${Bun.version}`);
  return res.json({ greeting: 'Hello from your starter function', path: req.path });
};
