package io.openruntimes.java;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Makes the answers a function returns. */
public final class RuntimeResponse {
    private static RuntimeOutput answer(byte[] body, int status, String contentType, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>();
        if (contentType != null) all.put("content-type", contentType);
        if (headers != null) headers.forEach((name, value) -> all.put(name.toLowerCase(), value));
        return new RuntimeOutput(body, status, all);
    }

    public RuntimeOutput text(String body, int statusCode, Map<String, String> headers) {
        return answer((body == null ? "" : body).getBytes(StandardCharsets.UTF_8), statusCode, "text/plain", headers);
    }

    public RuntimeOutput text(String body, int statusCode) {
        return text(body, statusCode, null);
    }

    public RuntimeOutput text(String body) {
        return text(body, 200, null);
    }

    public RuntimeOutput send(String body, int statusCode, Map<String, String> headers) {
        return text(body, statusCode, headers);
    }

    public RuntimeOutput send(String body, int statusCode) {
        return text(body, statusCode, null);
    }

    public RuntimeOutput send(String body) {
        return text(body, 200, null);
    }

    public RuntimeOutput json(Object value, int statusCode, Map<String, String> headers) {
        return answer(Json.stringify(value).getBytes(StandardCharsets.UTF_8), statusCode, "application/json", headers);
    }

    public RuntimeOutput json(Object value, int statusCode) {
        return json(value, statusCode, null);
    }

    public RuntimeOutput json(Object value) {
        return json(value, 200, null);
    }

    public RuntimeOutput binary(byte[] bytes, int statusCode, Map<String, String> headers) {
        return answer(bytes == null ? new byte[0] : bytes, statusCode, "application/octet-stream", headers);
    }

    public RuntimeOutput binary(byte[] bytes, int statusCode) {
        return binary(bytes, statusCode, null);
    }

    public RuntimeOutput binary(byte[] bytes) {
        return binary(bytes, 200, null);
    }

    public RuntimeOutput empty() {
        return answer(new byte[0], 204, null, null);
    }

    public RuntimeOutput redirect(String url, int statusCode, Map<String, String> headers) {
        RuntimeOutput output = answer(new byte[0], statusCode, null, headers);
        output.getHeaders().put("location", url);
        return output;
    }

    public RuntimeOutput redirect(String url, int statusCode) {
        return redirect(url, statusCode, null);
    }

    public RuntimeOutput redirect(String url) {
        return redirect(url, 301, null);
    }
}
