//! What a Rust function sees of its request: Plinth's runtime server builds a [`Context`] for every
//! execution and sends back the [`Response`] the function's `pub fn main(context: Context) -> Response` returns.

use std::collections::HashMap;
use std::fmt::Display;
use std::sync::{Arc, Mutex};

pub use serde_json;

/// The content types whose body [`Request::body`] gives as bytes (a JSON array of numbers).
pub const BINARY_TYPES: [&str; 7] = ["application/octet-stream", "application/pdf", "application/zip", "image/", "audio/", "video/", "font/"];

/// The execution's HTTP request.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// Lower-case names; the runtime's own `x-open-runtimes-*` headers are left out.
    pub headers: HashMap<String, String>,
    pub method: String,
    pub scheme: String,
    pub host: String,
    pub port: u16,
    pub path: String,
    pub query_string: String,
    pub query: HashMap<String, String>,
    pub url: String,
    body: Vec<u8>,
}

impl Request {
    /// Used by the runtime server.
    #[doc(hidden)]
    pub fn with_body(body: Vec<u8>) -> Self {
        Request { body, ..Default::default() }
    }

    pub fn body_binary(&self) -> &[u8] {
        &self.body
    }

    /// The body as UTF-8 text (invalid sequences replaced).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn body_raw(&self) -> String {
        self.body_text()
    }

    /// The body parsed as JSON; an empty body is an empty object.
    pub fn body_json(&self) -> Result<serde_json::Value, serde_json::Error> {
        if self.body.is_empty() {
            return Ok(serde_json::Value::Object(Default::default()));
        }
        serde_json::from_slice(&self.body)
    }

    /// The body as its content type says: parsed JSON, bytes, or text.
    pub fn body(&self) -> serde_json::Value {
        let content_type = self.headers.get("content-type").map(|value| value.to_lowercase()).unwrap_or_default();
        if content_type.starts_with("application/json") {
            if let Ok(parsed) = self.body_json() {
                return parsed;
            }
        } else if BINARY_TYPES.iter().any(|binary| content_type.starts_with(binary)) {
            return serde_json::Value::from(self.body.clone());
        }
        serde_json::Value::String(self.body_text())
    }
}

/// A status code and headers for an answer; `Default::default()` keeps the answer's own.
#[derive(Debug, Clone, Default)]
pub struct ResponseOptions {
    pub status_code: Option<u16>,
    pub headers: HashMap<String, String>,
}

/// What a function returns: made by one of [`Responder`]'s methods. `Response::default()` is no
/// answer at all (the execution fails as a missing return).
#[derive(Debug, Clone, Default)]
pub struct Response {
    pub body: Vec<u8>,
    pub status_code: u16,
    pub headers: HashMap<String, String>,
    made: bool,
}

impl Response {
    pub fn is_made(&self) -> bool {
        self.made
    }
}

/// Makes the answers a function returns, as `context.res.json(value, Default::default())`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Responder;

fn answer(body: Vec<u8>, status_code: u16, content_type: &str, options: ResponseOptions) -> Response {
    let mut headers = HashMap::new();
    if !content_type.is_empty() {
        headers.insert("content-type".to_string(), content_type.to_string());
    }
    for (name, value) in options.headers {
        headers.insert(name.to_lowercase(), value);
    }
    Response { body, status_code: options.status_code.unwrap_or(status_code), headers, made: true }
}

impl Responder {
    pub fn text(&self, body: impl Into<String>, options: ResponseOptions) -> Response {
        answer(body.into().into_bytes(), 200, "text/plain", options)
    }

    pub fn send(&self, body: impl Into<String>, options: ResponseOptions) -> Response {
        self.text(body, options)
    }

    pub fn json(&self, value: serde_json::Value, options: ResponseOptions) -> Response {
        answer(value.to_string().into_bytes(), 200, "application/json", options)
    }

    pub fn binary(&self, bytes: impl Into<Vec<u8>>, options: ResponseOptions) -> Response {
        answer(bytes.into(), 200, "application/octet-stream", options)
    }

    pub fn empty(&self) -> Response {
        answer(Vec::new(), 204, "", ResponseOptions::default())
    }

    pub fn redirect(&self, url: impl Into<String>, options: ResponseOptions) -> Response {
        let mut response = answer(Vec::new(), 301, "", options);
        response.headers.insert("location".to_string(), url.into());
        response
    }
}

/// The execution's logs and errors, shared with the runtime server.
#[derive(Debug, Default)]
pub struct Logs {
    pub logs: Mutex<Vec<String>>,
    pub errors: Mutex<Vec<String>>,
}

/// Given to the function for each execution.
#[derive(Debug, Clone)]
pub struct Context {
    pub req: Request,
    pub res: Responder,
    logs: Arc<Logs>,
}

impl Context {
    /// Used by the runtime server.
    #[doc(hidden)]
    pub fn new(req: Request, logs: Arc<Logs>) -> Self {
        Context { req, res: Responder, logs }
    }

    /// Strings as they are; JSON values (serde_json) as compact JSON.
    pub fn log(&self, message: impl Display) {
        self.logs.logs.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(message.to_string());
    }

    pub fn error(&self, message: impl Display) {
        self.logs.errors.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(message.to_string());
    }
}
