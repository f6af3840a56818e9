// A first function: answers `/ping` with text and anything else with a small JSON greeting.
// `req` holds the request (method, path, headers, body); `log` and `error` go to the execution's logs.
export default async ({ req, res, log }) => {
  if (req.path === '/ping') return res.text('Pong');
  log(`Called with ${req.method} ${req.path}`);
  return res.json({ greeting: 'Hello from your starter function', path: req.path });
};
