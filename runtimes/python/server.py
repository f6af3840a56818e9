# Plinth's Python runtime: an HTTP server speaking the Open Runtimes contract, standard library
# only. It loads the function's entrypoint once (as a module of a package rooted at the code
# directory) and calls its `main(context)` for every request.
#
# Environment: OPEN_RUNTIMES_SECRET, OPEN_RUNTIMES_ENTRYPOINT (relative to the code directory),
# PLINTH_RUNTIME_CODE (code directory, default the working directory), PLINTH_RUNTIME_SOCKET
# (a Unix socket path to listen on) or PORT (default 3000), PLINTH_RUNTIME_LOGS (directory where
# `<log id>_logs.log` and `<log id>_errors.log` are written when logging is on).
import asyncio
import base64
import importlib
import importlib.util
import inspect
import io
import json
import os
import re
import socketserver
import sys
import threading
import traceback
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl

SECRET = os.environ.get("OPEN_RUNTIMES_SECRET", "")
CODE_DIR = os.path.abspath(os.environ.get("PLINTH_RUNTIME_CODE") or os.getcwd())
PACKAGES_DIR = os.path.join(CODE_DIR, ".plinth", "python")
ENTRYPOINT = os.environ.get("OPEN_RUNTIMES_ENTRYPOINT") or "main.py"
LOGS_DIR = os.environ.get("PLINTH_RUNTIME_LOGS", "")
BINARY_TYPES = ("application/octet-stream", "application/pdf", "application/zip", "image/", "audio/", "video/", "font/")
INLINE_LOGS_MAX = 8192  # logs up to this size (JSON, bytes) are answered in the x-open-runtimes-logs header
LOG_ID = re.compile(r"^[A-Za-z0-9_-]+$")

try:
    FORCED_HEADERS = {str(k).lower(): str(v) for k, v in json.loads(os.environ.get("OPEN_RUNTIMES_HEADERS") or "{}").items()}
except (ValueError, AttributeError):
    FORCED_HEADERS = {}


class Logs:
    def __init__(self):
        self.logs = []
        self.errors = []
        # print() writes a line in pieces: they become one log line once its newline comes.
        self.partial = {"logs": "", "errors": ""}

    def take_output(self, kind, text):
        lines = (self.partial[kind] + text).split("\n")
        self.partial[kind] = lines.pop()
        target = self.logs if kind == "logs" else self.errors
        target.extend(line for line in lines if line.strip() != "")

    def finish_output(self):
        for kind in ("logs", "errors"):
            self.take_output(kind, "\n")


def stringify(value):
    if isinstance(value, str):
        return value
    if isinstance(value, BaseException):
        return "".join(traceback.format_exception(value))
    if isinstance(value, (dict, list)):
        try:
            return json.dumps(value)
        except (TypeError, ValueError):
            return repr(value)
    return str(value)


_current = threading.local()


class CapturedStream(io.TextIOBase):
    """Print output during an execution belongs to that execution; outside one it goes on as usual."""

    def __init__(self, original, kind):
        self.original = original
        self.kind = kind

    def write(self, text):
        logs = getattr(_current, "logs", None)
        if logs is None:
            return self.original.write(text)
        logs.take_output(self.kind, text)
        return len(text)

    def flush(self):
        self.original.flush()


sys.stdout = CapturedStream(sys.stdout, "logs")
sys.stderr = CapturedStream(sys.stderr, "errors")

_loaded = None
_load_error = None
_load_lock = threading.Lock()


def load_function():
    """The user's `main`, imported once: as a dotted module of the code directory, or from its file."""
    global _loaded, _load_error
    with _load_lock:
        if _loaded is not None:
            return _loaded
        if _load_error is not None:
            raise _load_error
        try:
            path = os.path.join(CODE_DIR, ENTRYPOINT)
            if not os.path.isfile(path):
                raise FileNotFoundError(f'Entrypoint "{ENTRYPOINT}" does not exist in the deployment.')
            if CODE_DIR not in sys.path:
                sys.path.insert(0, CODE_DIR)
            # What `pip install` put in the deployment at build (PIP_TARGET) comes before the system's packages.
            if os.path.isdir(PACKAGES_DIR) and PACKAGES_DIR not in sys.path:
                sys.path.insert(1, PACKAGES_DIR)
            module_name = ENTRYPOINT[:-3].replace("/", ".") if ENTRYPOINT.endswith(".py") else ""
            module = None
            if module_name and all(part.isidentifier() for part in module_name.split(".")):
                module = importlib.import_module(module_name)
            else:
                spec = importlib.util.spec_from_file_location("plinth_function", path)
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
            main = getattr(module, "main", None)
            if not callable(main):
                raise AttributeError(f'Entrypoint "{ENTRYPOINT}" defines no main(context) function.')
            _loaded = main
            return main
        except BaseException as error:  # a syntax error is a load error too
            _load_error = error
            raise


class Request:
    def __init__(self, handler, body):
        headers = {}
        for name, value in handler.headers.items():
            name = name.lower()
            if name.startswith("x-open-runtimes-"):
                continue
            headers[name] = value if name not in headers else headers[name] + ", " + value
        self.headers = headers
        self.method = handler.command
        self.scheme = (headers.get("x-forwarded-proto") or "http").split(",")[0].strip()
        default_port = 443 if self.scheme == "https" else 80
        host = headers.get("host") or "localhost"
        match = re.search(r":(\d+)$", host)
        self.host = host[: match.start()] if match else host
        self.port = int(match.group(1)) if match else default_port
        target = handler.path or "/"
        self.path, _, self.query_string = target.partition("?")
        self.queryString = self.query_string
        self.query = dict(parse_qsl(self.query_string, keep_blank_values=True))
        suffix = "" if self.port == default_port else f":{self.port}"
        self.url = f"{self.scheme}://{self.host}{suffix}{self.path}" + (f"?{self.query_string}" if self.query_string else "")
        self.body_binary = body
        self.bodyBinary = body
        self._content_type = (headers.get("content-type") or "text/plain").lower()

    @property
    def body_text(self):
        return self.body_binary.decode("utf-8", errors="replace")

    bodyText = body_text
    body_raw = body_text
    bodyRaw = body_text

    @property
    def body_json(self):
        return json.loads(self.body_text) if self.body_binary else {}

    bodyJson = body_json

    @property
    def body(self):
        if self._content_type.startswith("application/json"):
            return self.body_json
        if self._content_type.startswith(BINARY_TYPES):
            return self.body_binary
        return self.body_text


def _lower(headers):
    return {str(k).lower(): str(v) for k, v in (headers or {}).items()}


class Response:
    def text(self, body, status_code=200, headers=None):
        return {"body": str(body if body is not None else "").encode("utf-8"), "statusCode": status_code, "headers": {"content-type": "text/plain", **_lower(headers)}}

    def send(self, body, status_code=200, headers=None):
        return self.text(body, status_code, headers)

    def json(self, obj, status_code=200, headers=None):
        return {"body": json.dumps(obj).encode("utf-8"), "statusCode": status_code, "headers": {"content-type": "application/json", **_lower(headers)}}

    def binary(self, data, status_code=200, headers=None):
        return {"body": bytes(data or b""), "statusCode": status_code, "headers": {"content-type": "application/octet-stream", **_lower(headers)}}

    def empty(self):
        return {"body": b"", "statusCode": 204, "headers": {}}

    def redirect(self, url, status_code=301, headers=None):
        return {"body": b"", "statusCode": status_code, "headers": {**_lower(headers), "location": url}}


class Context:
    def __init__(self, req, logs):
        self.req = req
        self.res = Response()
        self._logs = logs

    def log(self, *messages):
        self._logs.logs.append(" ".join(stringify(m) for m in messages))

    def error(self, *messages):
        self._logs.errors.append(" ".join(stringify(m) for m in messages))


def is_response(value):
    return isinstance(value, dict) and isinstance(value.get("body"), (bytes, bytearray)) and isinstance(value.get("statusCode"), int)


def run_function(main, context, logs, outcome):
    _current.logs = logs
    try:
        result = main(context)
        if inspect.isawaitable(result):
            result = asyncio.run(_await(result))
        outcome["result"] = result
    except BaseException as error:
        outcome["error"] = error
    finally:
        logs.finish_output()
        _current.logs = None


async def _await(awaitable):
    return await awaitable


def execute(handler, body, logs, timeout):
    try:
        main = load_function()
    except BaseException as error:
        logs.errors.append(stringify(error))
        return {"body": b"", "statusCode": 503, "headers": {}}
    outcome = {}
    worker = threading.Thread(target=run_function, args=(main, Context(Request(handler, body), logs), logs, outcome), daemon=True)
    worker.start()
    worker.join(timeout if timeout > 0 else None)
    if worker.is_alive():
        logs.errors.append("Execution timed out.")
        return {"body": b"", "statusCode": 500, "headers": {}}
    if "error" in outcome:
        logs.errors.append(stringify(outcome["error"]))
        return {"body": b"", "statusCode": 500, "headers": {}}
    result = outcome.get("result")
    if not is_response(result):
        logs.errors.append("Return statement missing. return context.res.empty() if no response is expected.")
        return {"body": b"", "statusCode": 500, "headers": {}}
    return result


def write_logs(log_id, logs):
    if not LOGS_DIR or not log_id or not LOG_ID.match(log_id):
        return
    os.makedirs(LOGS_DIR, exist_ok=True)
    with open(os.path.join(LOGS_DIR, f"{log_id}_logs.log"), "w", encoding="utf-8") as file:
        file.write("\n".join(logs.logs))
    with open(os.path.join(LOGS_DIR, f"{log_id}_errors.log"), "w", encoding="utf-8") as file:
        file.write("\n".join(logs.errors))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # request lines are not the function's logs
        pass

    def address_string(self):
        return "runtime"

    def handle_any(self):
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        if SECRET == "" or self.headers.get("x-open-runtimes-secret") != SECRET:
            return self.reply(500, {"content-type": "text/plain"}, b'Unauthorized. Provide correct "x-open-runtimes-secret" header.')
        try:
            timeout = float(self.headers.get("x-open-runtimes-timeout") or 0)
        except ValueError:
            timeout = 0
        logging = self.headers.get("x-open-runtimes-logging") != "disabled"
        log_id = self.headers.get("x-open-runtimes-log-id") or ""
        logs = Logs()
        result = execute(self, body, logs, timeout)
        headers = {k: v for k, v in {**result["headers"], **FORCED_HEADERS}.items() if not k.startswith("x-open-runtimes-")}
        if log_id:
            headers["x-open-runtimes-log-id"] = log_id
        if logging:
            # Short logs ride in a header (no files to write and read back); long ones go to the log files.
            inline = json.dumps(["\n".join(logs.logs), "\n".join(logs.errors)]).encode("utf-8")
            if len(inline) <= INLINE_LOGS_MAX:
                headers["x-open-runtimes-logs"] = base64.b64encode(inline).decode("ascii")
            else:
                write_logs(log_id, logs)
        self.reply(result["statusCode"], headers, bytes(result["body"]))

    def reply(self, status, headers, body):
        self.send_response(status)
        for name, value in headers.items():
            if name != "content-length":
                self.send_header(name, value)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = handle_any


class UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


class TcpServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


def exit_with_parent():
    """The server holds our stdin open; when it goes away (even killed), so do we."""
    try:
        while sys.stdin.buffer.read(65536):
            pass
    finally:
        os._exit(0)


def serve():
    threading.Thread(target=exit_with_parent, daemon=True).start()
    socket_path = os.environ.get("PLINTH_RUNTIME_SOCKET")
    if socket_path:
        if os.path.exists(socket_path):
            os.unlink(socket_path)
        server = UnixServer(socket_path, Handler)
    else:
        server = TcpServer(("0.0.0.0", int(os.environ.get("PORT") or 3000)), Handler)
    sys.stdout.original.write("open-runtimes ready\n")
    sys.stdout.original.flush()
    try:
        load_function()
    except BaseException:
        pass  # reported with 503 on each request
    server.serve_forever()


if __name__ == "__main__":
    serve()
