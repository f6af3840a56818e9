# A first function with the scientific stack: answers `/ping` with text, a JSON body of
# {"values": [...]} with their mean and spread, and anything else with a small JSON greeting.
import numpy


def main(context):
    req = context.req
    if req.path == "/ping":
        return context.res.text("Pong")
    values = req.body.get("values") if isinstance(req.body, dict) else None
    if values:
        array = numpy.array(values, dtype=float)
        return context.res.json({"count": int(array.size), "mean": float(array.mean()), "std": float(array.std())})
    context.log(f"Called with {req.method} {req.path}")
    return context.res.json({"greeting": "Hello from your starter function", "path": req.path})
