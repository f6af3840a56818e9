# A first function: answers `/ping` with text and anything else with a small JSON greeting.
# `context.req` holds the request; `context.log` and `context.error` go to the execution's logs.


def main(context):
    if context.req.path == "/ping":
        return context.res.text("Pong")
    context.log(f"Called with {context.req.method} {context.req.path}")
    return context.res.json({"greeting": "Hello from your starter function", "path": context.req.path})
