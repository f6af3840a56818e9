//! A small HTTP/1.1 server over std's sockets: enough for the requests Plinth's runtime pool sends
//! (Content-Length or chunked bodies, keep-alive), one thread per connection.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::os::unix::net::UnixListener;
use std::sync::Arc;

pub struct HttpRequest {
    pub method: String,
    /// The request target: path and query string.
    pub target: String,
    /// Lower-case names, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// The values of every header of that (lower-case) name, joined by ", "; empty when absent.
    pub fn header(&self, name: &str) -> String {
        self.headers.iter().filter(|(key, _)| key == name).map(|(_, value)| value.as_str()).collect::<Vec<_>>().join(", ")
    }
}

pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

pub enum Listener {
    Unix(UnixListener),
    Tcp(TcpListener),
}

impl Listener {
    /// Listens on a Unix socket path when one is given, else on the TCP port; exits the process if it cannot.
    pub fn open(socket_path: &str, port: u16) -> Listener {
        let opened = if socket_path.is_empty() {
            TcpListener::bind(("0.0.0.0", port)).map(Listener::Tcp)
        } else {
            let _ = std::fs::remove_file(socket_path);
            UnixListener::bind(socket_path).map(Listener::Unix)
        };
        opened.unwrap_or_else(|error| {
            eprintln!("cannot listen: {error}");
            std::process::exit(1);
        })
    }

    /// Accepts connections forever, answering each request with the handler.
    pub fn serve_forever<H: Fn(&HttpRequest) -> HttpResponse + Send + Sync + 'static>(self, handler: H) {
        let handler = Arc::new(handler);
        loop {
            let accepted: Option<Box<dyn ReadWrite>> = match &self {
                Listener::Unix(listener) => listener.accept().ok().map(|(stream, _)| Box::new(stream) as Box<dyn ReadWrite>),
                Listener::Tcp(listener) => listener.accept().ok().map(|(stream, _)| Box::new(stream) as Box<dyn ReadWrite>),
            };
            if let Some(stream) = accepted {
                let handler = handler.clone();
                std::thread::spawn(move || serve_connection(stream, handler.as_ref()));
            }
        }
    }
}

trait ReadWrite: Read + Write + Send {
    fn try_clone_box(&self) -> Option<Box<dyn ReadWrite>>;
}

impl ReadWrite for std::os::unix::net::UnixStream {
    fn try_clone_box(&self) -> Option<Box<dyn ReadWrite>> {
        self.try_clone().ok().map(|stream| Box::new(stream) as Box<dyn ReadWrite>)
    }
}

impl ReadWrite for std::net::TcpStream {
    fn try_clone_box(&self) -> Option<Box<dyn ReadWrite>> {
        self.try_clone().ok().map(|stream| Box::new(stream) as Box<dyn ReadWrite>)
    }
}

fn serve_connection(stream: Box<dyn ReadWrite>, handler: &(dyn Fn(&HttpRequest) -> HttpResponse + Send + Sync)) {
    let Some(mut writer) = stream.try_clone_box() else { return };
    let mut reader = BufReader::new(stream);
    loop {
        let Some((request, keep_alive)) = read_request(&mut reader) else { return };
        let response = handler(&request);
        if writer.write_all(&serialize(&response, keep_alive)).is_err() || !keep_alive {
            return;
        }
    }
}

fn read_line(reader: &mut impl BufRead) -> Option<String> {
    let mut line = Vec::new();
    if reader.by_ref().take(64 * 1024).read_until(b'\n', &mut line).ok()? == 0 || !line.ends_with(b"\n") {
        return None;
    }
    Some(String::from_utf8_lossy(&line).trim_end_matches(['\r', '\n']).to_string())
}

fn read_request(reader: &mut impl BufRead) -> Option<(HttpRequest, bool)> {
    let request_line = read_line(reader)?;
    let mut parts = request_line.split(' ');
    let (method, target, version) = (parts.next()?.to_string(), parts.next()?.to_string(), parts.next()?.to_string());
    let mut headers = Vec::new();
    loop {
        let line = read_line(reader)?;
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_lowercase(), value.trim().to_string()));
        }
    }
    let mut request = HttpRequest { method, target, headers, body: Vec::new() };
    let connection = request.header("connection").to_lowercase();
    let keep_alive = if version == "HTTP/1.1" { connection != "close" } else { connection == "keep-alive" };
    if request.header("transfer-encoding").to_lowercase().contains("chunked") {
        loop {
            let size = usize::from_str_radix(read_line(reader)?.split(';').next()?.trim(), 16).ok()?;
            if size == 0 {
                while !read_line(reader)?.is_empty() {}
                break;
            }
            let start = request.body.len();
            request.body.resize(start + size, 0);
            reader.read_exact(&mut request.body[start..]).ok()?;
            read_line(reader)?;
        }
    } else if let Ok(length) = request.header("content-length").trim().parse::<usize>() {
        request.body.resize(length, 0);
        reader.read_exact(&mut request.body).ok()?;
    }
    Some((request, keep_alive))
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        400 => "Bad Request",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

fn serialize(response: &HttpResponse, keep_alive: bool) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", response.status, reason(response.status));
    for (name, value) in &response.headers {
        // A header a function set cannot start another header or end the head early.
        head.push_str(&format!("{}: {}\r\n", name.replace(['\r', '\n'], " "), value.replace(['\r', '\n'], " ")));
    }
    head.push_str(&format!("content-length: {}\r\nconnection: {}\r\n\r\n", response.body.len(), if keep_alive { "keep-alive" } else { "close" }));
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(&response.body);
    bytes
}
