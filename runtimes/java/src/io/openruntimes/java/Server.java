package io.openruntimes.java;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plinth's Java runtime: an HTTP server speaking the Open Runtimes contract, compiled at build with
 * the function. The function's class (named in .plinth/main-class) is loaded once; its
 * `main(RuntimeContext)` is called for every request, each in a thread of its own.
 *
 * Environment: OPEN_RUNTIMES_SECRET, PLINTH_RUNTIME_CODE (code directory), PLINTH_RUNTIME_SOCKET (a
 * Unix socket path to listen on) or PORT (default 3000), PLINTH_RUNTIME_LOGS (directory where
 * `<log id>_logs.log` and `<log id>_errors.log` are written when logging is on).
 */
public final class Server {
    private static final int INLINE_LOGS_MAX = 8192;
    private static final String MISSING_RETURN = "Return statement missing. return context.getRes().empty() if no response is expected.";
    private static final String SECRET = System.getenv().getOrDefault("OPEN_RUNTIMES_SECRET", "");
    private static final String LOGS_DIR = System.getenv().getOrDefault("PLINTH_RUNTIME_LOGS", "");
    private static final Path CODE_DIR = Path.of(System.getenv().getOrDefault("PLINTH_RUNTIME_CODE", "."));
    private static final Map<String, String> FORCED_HEADERS = new LinkedHashMap<>();
    /** The logs of the execution the current thread (or the thread that started it) runs. */
    private static final InheritableThreadLocal<RuntimeLogs> CURRENT = new InheritableThreadLocal<>();

    private static Object instance;
    private static Method function;
    private static Throwable loadError;

    private record Answer(int status, Map<String, String> headers, byte[] body) {}

    /** Printed output during an execution belongs to it; outside one it goes to the real stream. */
    private static PrintStream captured(PrintStream original, boolean toErrors) {
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                RuntimeLogs logs = CURRENT.get();
                if (logs == null) original.write(bytes, offset, length);
                else logs.print(toErrors, new String(bytes, offset, length, StandardCharsets.UTF_8));
            }

            @Override
            public void flush() {
                original.flush();
            }
        }, true, StandardCharsets.UTF_8);
    }

    private static synchronized Method load() throws Throwable {
        if (function != null) return function;
        if (loadError != null) throw loadError;
        try {
            String className = Files.readString(CODE_DIR.resolve(".plinth/main-class")).trim();
            Class<?> type = Class.forName(className);
            Method main = type.getMethod("main", RuntimeContext.class);
            if (!RuntimeOutput.class.isAssignableFrom(main.getReturnType())) throw new NoSuchMethodException(className + ".main(RuntimeContext) does not return RuntimeOutput.");
            instance = Modifier.isStatic(main.getModifiers()) ? null : type.getDeclaredConstructor().newInstance();
            function = main;
            return main;
        } catch (Throwable error) {
            loadError = error;
            throw error;
        }
    }

    private static Answer execute(String method, String target, Map<String, String> headers, byte[] body, RuntimeLogs logs, double timeout) {
        Method main;
        try {
            main = load();
        } catch (Throwable error) {
            logs.error(RuntimeContext.stringify(error));
            return new Answer(503, Map.of(), new byte[0]);
        }
        RuntimeContext context = new RuntimeContext(new RuntimeRequest(method, target, headers, body), logs);
        Object[] outcome = new Object[2];
        Thread worker = new Thread(() -> {
            CURRENT.set(logs);
            try {
                outcome[0] = main.invoke(instance, context);
            } catch (InvocationTargetException thrown) {
                outcome[1] = thrown.getCause();
            } catch (Throwable thrown) {
                outcome[1] = thrown;
            } finally {
                CURRENT.remove();
            }
        });
        worker.setDaemon(true);
        worker.start();
        try {
            worker.join(timeout > 0 ? (long) Math.ceil(timeout * 1000) : 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        logs.finishOutput();
        if (worker.isAlive()) {
            logs.error("Execution timed out.");
            return new Answer(500, Map.of(), new byte[0]);
        }
        if (outcome[1] != null) {
            logs.error(RuntimeContext.stringify(outcome[1]));
            return new Answer(500, Map.of(), new byte[0]);
        }
        if (!(outcome[0] instanceof RuntimeOutput output)) {
            logs.error(MISSING_RETURN);
            return new Answer(500, Map.of(), new byte[0]);
        }
        return new Answer(output.getStatusCode(), output.getHeaders(), output.getBody());
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') break;
            line.write(b);
        }
        if (b == -1 && line.size() == 0) return null;
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    /** Serves requests on one connection until the client closes it (keep-alive). */
    private static void handle(InputStream in, OutputStream out) throws IOException {
        while (true) {
            String requestLine = readLine(in);
            if (requestLine == null) return;
            String[] parts = requestLine.split(" ");
            Map<String, String> headers = new LinkedHashMap<>();
            String line;
            while ((line = readLine(in)) != null && !line.isEmpty()) {
                int colon = line.indexOf(':');
                if (colon < 0) continue;
                String name = line.substring(0, colon).trim().toLowerCase();
                String value = new String(line.substring(colon + 1).trim().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
                headers.merge(name, value, (a, b) -> a + ", " + b);
            }
            byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
            Answer answer = answer(parts[0], parts.length > 1 ? parts[1] : "/", headers, body);
            StringBuilder head = new StringBuilder("HTTP/1.1 " + answer.status() + (answer.status() < 400 ? " OK" : " Error") + "\r\n");
            answer.headers().forEach((name, value) -> {
                if (!name.equals("content-length") && !name.equals("connection")) head.append(name).append(": ").append(value.replace('\r', ' ').replace('\n', ' ')).append("\r\n");
            });
            head.append("content-length: ").append(answer.body().length).append("\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            out.write(answer.body());
            out.flush();
        }
    }

    private static Answer answer(String method, String target, Map<String, String> headers, byte[] body) {
        if (SECRET.isEmpty() || !SECRET.equals(headers.get("x-open-runtimes-secret"))) {
            return new Answer(500, Map.of("content-type", "text/plain"), "Unauthorized. Provide correct \"x-open-runtimes-secret\" header.".getBytes(StandardCharsets.UTF_8));
        }
        double timeout;
        try {
            timeout = Double.parseDouble(headers.getOrDefault("x-open-runtimes-timeout", "0"));
        } catch (NumberFormatException e) {
            timeout = 0;
        }
        RuntimeLogs logs = new RuntimeLogs();
        Answer result = execute(method, target, headers, body, logs, timeout);
        Map<String, String> out = new LinkedHashMap<>();
        result.headers().forEach((name, value) -> {
            if (!name.startsWith("x-open-runtimes-")) out.put(name, value);
        });
        FORCED_HEADERS.forEach(out::put);
        String logId = headers.getOrDefault("x-open-runtimes-log-id", "");
        if (!logId.isEmpty()) out.put("x-open-runtimes-log-id", logId);
        if (!"disabled".equals(headers.get("x-open-runtimes-logging"))) {
            String logText;
            String errorText;
            synchronized (logs) {
                logText = String.join("\n", logs.logs);
                errorText = String.join("\n", logs.errors);
            }
            // Short logs ride in a header; long ones go to the log files.
            byte[] inline = Json.stringify(List.of(logText, errorText)).getBytes(StandardCharsets.UTF_8);
            if (inline.length <= INLINE_LOGS_MAX) out.put("x-open-runtimes-logs", Base64.getEncoder().encodeToString(inline));
            else writeLogs(logId, logText, errorText);
        }
        return new Answer(result.status(), out, result.body());
    }

    private static void writeLogs(String logId, String logText, String errorText) {
        if (LOGS_DIR.isEmpty() || !logId.matches("[A-Za-z0-9_-]+")) return;
        try {
            Files.createDirectories(Path.of(LOGS_DIR));
            Files.writeString(Path.of(LOGS_DIR, logId + "_logs.log"), logText);
            Files.writeString(Path.of(LOGS_DIR, logId + "_errors.log"), errorText);
        } catch (IOException ignored) {
            // the execution keeps its answer; its logs are lost
        }
    }

    public static void main(String[] args) throws Exception {
        PrintStream realOut = System.out;
        System.setOut(captured(realOut, false));
        System.setErr(captured(System.err, true));
        try {
            Object forced = Json.parse(System.getenv().getOrDefault("OPEN_RUNTIMES_HEADERS", "{}"));
            if (forced instanceof Map<?, ?> map) map.forEach((name, value) -> FORCED_HEADERS.put(String.valueOf(name).toLowerCase(), String.valueOf(value)));
        } catch (IllegalArgumentException ignored) {
            // no forced headers
        }
        String socketPath = System.getenv().getOrDefault("PLINTH_RUNTIME_SOCKET", "");
        ServerSocketChannel server;
        if (!socketPath.isEmpty()) {
            Files.deleteIfExists(Path.of(socketPath));
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socketPath));
        } else {
            server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(Integer.parseInt(System.getenv().getOrDefault("PORT", "3000"))));
        }
        // The server holds our stdin open; when it goes away (even killed), so do we.
        Thread watcher = new Thread(() -> {
            try {
                System.in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // gone either way
            }
            Runtime.getRuntime().halt(0);
        });
        watcher.setDaemon(true);
        watcher.start();
        realOut.println("open-runtimes ready");
        realOut.flush();
        try {
            load();
        } catch (Throwable ignored) {
            // reported with 503 on each request
        }
        while (true) {
            SocketChannel connection = server.accept();
            Thread thread = new Thread(() -> {
                try (connection) {
                    handle(new BufferedInputStream(Channels.newInputStream(connection)), Channels.newOutputStream(connection));
                } catch (IOException | RuntimeException ignored) {
                    // the client went away
                }
            });
            thread.setDaemon(true);
            thread.start();
        }
    }
}
