package io.openruntimes.java;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** Given to the function for each execution: the request, the answers it can make, and its logs. */
public final class RuntimeContext {
    private final RuntimeRequest req;
    private final RuntimeResponse res = new RuntimeResponse();
    private final RuntimeLogs logs;

    RuntimeContext(RuntimeRequest req, RuntimeLogs logs) {
        this.req = req;
        this.logs = logs;
    }

    public RuntimeRequest getReq() {
        return req;
    }

    public RuntimeResponse getRes() {
        return res;
    }

    public void log(Object message) {
        logs.log(stringify(message));
    }

    public void error(Object message) {
        logs.error(stringify(message));
    }

    static String stringify(Object message) {
        if (message instanceof Throwable thrown) {
            StringWriter trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            return trace.toString().stripTrailing();
        }
        if (message instanceof Map<?, ?> || message instanceof Iterable<?>) return Json.stringify(message);
        return String.valueOf(message);
    }
}
