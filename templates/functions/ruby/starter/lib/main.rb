# A first function: answers `/ping` with text and anything else with a small JSON greeting.
# `context.req` holds the request; `context.log` and `context.error` go to the execution's logs.

def main(context)
  req = context.req
  return context.res.text('Pong') if req.path == '/ping'

  context.log("Called with #{req.method} #{req.path}")
  context.res.json({ greeting: 'Hello from your starter function', path: req.path })
end
