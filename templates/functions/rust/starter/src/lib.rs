// A first function: answers /ping with text and anything else with a small JSON greeting.
// context.req holds the request; context.log and context.error go to the execution's logs.
use openruntimes::{Context, Response};
use serde_json::json;

pub fn main(context: Context) -> Response {
    let req = &context.req;
    if req.path == "/ping" {
        return context.res.text("Pong", Default::default());
    }
    context.log(format!("Called with {} {}", req.method, req.path));
    context.res.json(json!({"greeting": "Hello from your starter function", "path": req.path}), Default::default())
}
