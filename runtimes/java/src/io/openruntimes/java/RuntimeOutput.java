package io.openruntimes.java;

import java.util.Map;

/** What a function returns: made by one of RuntimeResponse's methods. */
public final class RuntimeOutput {
    private final byte[] body;
    private final int statusCode;
    private final Map<String, String> headers;

    RuntimeOutput(byte[] body, int statusCode, Map<String, String> headers) {
        this.body = body;
        this.statusCode = statusCode;
        this.headers = headers;
    }

    public byte[] getBody() {
        return body;
    }

    public int getStatusCode() {
        return statusCode;
    }

    public Map<String, String> getHeaders() {
        return headers;
    }
}
