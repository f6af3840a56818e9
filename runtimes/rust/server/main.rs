//! Plinth's Rust runtime: an HTTP server speaking the Open Runtimes contract, compiled at build with
//! the function (its crate is the dependency `handler`, whose `main(Context) -> Response` is called for
//! every request). Executions run one at a time, so printed output belongs to the one running.
//!
//! Environment: OPEN_RUNTIMES_SECRET, PLINTH_RUNTIME_SOCKET (a Unix socket path to listen on) or PORT
//! (default 3000), PLINTH_RUNTIME_LOGS (directory where `<log id>_logs.log` and `<log id>_errors.log`
//! are written when logging is on), OPEN_RUNTIMES_HEADERS (a JSON object of headers every answer gets).

mod capture;
mod http;

use openruntimes::{Context, Logs, Request, Response};
use std::collections::HashMap;
use std::io::Read;
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

const INLINE_LOGS_MAX: usize = 8192;
const MISSING_RETURN: &str = "Return statement missing. return context.res.empty() if no response is expected.";

/// The logs of the execution running now: the panic hook writes there.
static CURRENT: Mutex<Option<Arc<Logs>>> = Mutex::new(None);
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn environment(name: &str) -> String {
    std::env::var(name).unwrap_or_default()
}

fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |byte: u8| (byte as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], bytes.get(i + 1).and_then(|b| hex(*b)), bytes.get(i + 2).and_then(|b| hex(*b))) {
            (b'+', _, _) => out.push(b' '),
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 2;
            }
            (other, _, _) => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn describe(http: &http::HttpRequest) -> Request {
    let mut req = Request::with_body(http.body.clone());
    for (name, _) in &http.headers {
        if !name.starts_with("x-open-runtimes-") {
            req.headers.insert(name.clone(), http.header(name));
        }
    }
    req.method = http.method.clone();
    let forwarded = http.header("x-forwarded-proto");
    req.scheme = forwarded.split(',').next().map(str::trim).filter(|scheme| !scheme.is_empty()).unwrap_or("http").to_string();
    let default_port: u16 = if req.scheme == "https" { 443 } else { 80 };
    let host = Some(http.header("host")).filter(|host| !host.is_empty()).unwrap_or_else(|| "localhost".to_string());
    req.host = host.clone();
    req.port = default_port;
    if let Some(colon) = host.rfind(':') {
        let digits = &host[colon + 1..];
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(port) = digits.parse() {
                req.host = host[..colon].to_string();
                req.port = port;
            }
        }
    }
    let (path, query_string) = match http.target.split_once('?') {
        Some((path, query)) => (path.to_string(), query.to_string()),
        None => (http.target.clone(), String::new()),
    };
    req.path = if path.is_empty() { "/".to_string() } else { path };
    for pair in query_string.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        req.query.insert(percent_decoded(name), percent_decoded(value));
    }
    let port_suffix = if req.port == default_port { String::new() } else { format!(":{}", req.port) };
    let query_suffix = if query_string.is_empty() { String::new() } else { format!("?{query_string}") };
    req.url = format!("{}://{}{}{}{}", req.scheme, req.host, port_suffix, req.path, query_suffix);
    req.query_string = query_string;
    req
}

fn failure() -> (u16, HashMap<String, String>, Vec<u8>) {
    (500, HashMap::new(), Vec::new())
}

fn push_printed(into: &mut Vec<String>, printed: &str) {
    into.extend(printed.lines().filter(|line| !line.trim().is_empty()).map(str::to_string));
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload.downcast_ref::<&str>().map(|text| text.to_string()).or_else(|| payload.downcast_ref::<String>().cloned()).unwrap_or_else(|| "the function panicked".to_string())
}

struct Execution {
    status: u16,
    headers: HashMap<String, String>,
    body: Vec<u8>,
    logs: Vec<String>,
    errors: Vec<String>,
}

/// Runs the function in a thread of its own, so an execution past its timeout can be answered (the pool then replaces this process).
fn execute(req: Request, timeout_seconds: f64) -> Execution {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let logs = Arc::new(Logs::default());
    *CURRENT.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(logs.clone());
    let context = Context::new(req, logs.clone());
    let (done, finished) = mpsc::channel::<std::thread::Result<Response>>();
    let capture = capture::OutputCapture::start();
    std::thread::spawn(move || {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handler::main(context)));
        let _ = done.send(result);
    });
    let outcome = if timeout_seconds > 0.0 {
        finished.recv_timeout(Duration::from_secs_f64(timeout_seconds)).ok()
    } else {
        finished.recv().ok()
    };
    let (printed, complained) = capture.finish();
    *CURRENT.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
    let mut extra_errors = Vec::new();
    let (status, headers, body) = match outcome {
        None => {
            extra_errors.push("Execution timed out.".to_string());
            failure()
        }
        Some(Err(_)) => failure(),
        Some(Ok(response)) if !response.is_made() => {
            extra_errors.push(MISSING_RETURN.to_string());
            failure()
        }
        Some(Ok(response)) => (response.status_code, response.headers, response.body),
    };
    let mut execution = Execution {
        status,
        headers,
        body,
        logs: logs.logs.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone(),
        errors: logs.errors.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone(),
    };
    push_printed(&mut execution.logs, &printed);
    push_printed(&mut execution.errors, &complained);
    execution.errors.extend(extra_errors);
    execution
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (chunk[0] as u32) << 16 | (*chunk.get(1).unwrap_or(&0) as u32) << 8 | *chunk.get(2).unwrap_or(&0) as u32;
        out.push(ALPHABET[(n >> 18) as usize & 63] as char);
        out.push(ALPHABET[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 { ALPHABET[(n >> 6) as usize & 63] as char } else { '=' });
        out.push(if chunk.len() > 2 { ALPHABET[n as usize & 63] as char } else { '=' });
    }
    out
}

fn write_logs(log_id: &str, execution: &Execution) {
    let logs_dir = environment("PLINTH_RUNTIME_LOGS");
    if logs_dir.is_empty() || log_id.is_empty() || !log_id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
        return;
    }
    let _ = std::fs::create_dir_all(&logs_dir);
    let _ = std::fs::write(format!("{logs_dir}/{log_id}_logs.log"), execution.logs.join("\n"));
    let _ = std::fs::write(format!("{logs_dir}/{log_id}_errors.log"), execution.errors.join("\n"));
}

fn forced_headers() -> HashMap<String, String> {
    match serde_json::from_str::<serde_json::Value>(&environment("OPEN_RUNTIMES_HEADERS")) {
        Ok(serde_json::Value::Object(map)) => map
            .into_iter()
            .map(|(name, value)| (name.to_lowercase(), value.as_str().map(str::to_string).unwrap_or_else(|| value.to_string())))
            .collect(),
        _ => HashMap::new(),
    }
}

fn serve(http: &http::HttpRequest, secret: &str, forced: &HashMap<String, String>) -> http::HttpResponse {
    if secret.is_empty() || http.header("x-open-runtimes-secret") != secret {
        return http::HttpResponse {
            status: 500,
            headers: vec![("content-type".to_string(), "text/plain".to_string())],
            body: b"Unauthorized. Provide correct \"x-open-runtimes-secret\" header.".to_vec(),
        };
    }
    let timeout = http.header("x-open-runtimes-timeout").trim().parse::<f64>().unwrap_or(0.0);
    let execution = execute(describe(http), timeout);
    let mut headers: HashMap<String, String> = execution.headers.clone();
    headers.extend(forced.iter().map(|(name, value)| (name.clone(), value.clone())));
    let mut response_headers: Vec<(String, String)> = headers
        .into_iter()
        .filter(|(name, _)| !name.starts_with("x-open-runtimes-") && !matches!(name.as_str(), "content-length" | "connection" | "transfer-encoding"))
        .collect();
    let log_id = http.header("x-open-runtimes-log-id");
    if !log_id.is_empty() {
        response_headers.push(("x-open-runtimes-log-id".to_string(), log_id.clone()));
    }
    if http.header("x-open-runtimes-logging") != "disabled" {
        let inline = serde_json::json!([execution.logs.join("\n"), execution.errors.join("\n")]).to_string();
        if inline.len() <= INLINE_LOGS_MAX {
            response_headers.push(("x-open-runtimes-logs".to_string(), base64(inline.as_bytes())));
        } else {
            write_logs(&log_id, &execution);
        }
    }
    http::HttpResponse { status: execution.status, headers: response_headers, body: execution.body }
}

fn main() {
    // A panic is the execution's error (with where it happened), not a line on the process's stderr.
    std::panic::set_hook(Box::new(|info| {
        let message = format!("{}\n    at {}", panic_message(info.payload()), info.location().map(|at| at.to_string()).unwrap_or_default());
        if let Some(logs) = CURRENT.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).as_ref() {
            logs.errors.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(message);
        }
    }));
    let secret = environment("OPEN_RUNTIMES_SECRET");
    let forced = forced_headers();
    let listener = http::Listener::open(&environment("PLINTH_RUNTIME_SOCKET"), environment("PORT").parse().unwrap_or(3000));
    // The server holds our stdin open; when it goes away (even killed), so do we.
    std::thread::spawn(|| {
        let mut ignored = [0u8; 256];
        let mut stdin = std::io::stdin();
        while matches!(stdin.read(&mut ignored), Ok(n) if n > 0) {}
        std::process::exit(0);
    });
    println!("open-runtimes ready");
    listener.serve_forever(move |request| serve(request, &secret, &forced));
}
