package io.openruntimes.java;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The execution's HTTP request. */
public final class RuntimeRequest {
    private static final String[] BINARY_TYPES = {"application/octet-stream", "application/pdf", "application/zip", "image/", "audio/", "video/", "font/"};
    private static final Pattern PORT = Pattern.compile(":(\\d+)$");

    private final byte[] bodyBinary;
    private final Map<String, String> headers;
    private final String method;
    private final String scheme;
    private final String host;
    private final int port;
    private final String path;
    private final String queryString;
    private final Map<String, String> query = new LinkedHashMap<>();
    private final String url;

    RuntimeRequest(String method, String target, Map<String, String> allHeaders, byte[] body) {
        headers = new LinkedHashMap<>();
        allHeaders.forEach((name, value) -> {
            if (!name.startsWith("x-open-runtimes-")) headers.put(name, value);
        });
        this.method = method;
        this.bodyBinary = body;
        scheme = headers.getOrDefault("x-forwarded-proto", "http").split(",")[0].trim();
        int defaultPort = scheme.equals("https") ? 443 : 80;
        String hostHeader = headers.getOrDefault("host", "localhost");
        Matcher match = PORT.matcher(hostHeader);
        if (match.find()) {
            host = hostHeader.substring(0, match.start());
            port = Integer.parseInt(match.group(1));
        } else {
            host = hostHeader;
            port = defaultPort;
        }
        int question = target.indexOf('?');
        path = question < 0 ? (target.isEmpty() ? "/" : target) : target.substring(0, question);
        queryString = question < 0 ? "" : target.substring(question + 1);
        for (String pair : queryString.isEmpty() ? new String[0] : queryString.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            query.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        url = scheme + "://" + host + (port == defaultPort ? "" : ":" + port) + path + (queryString.isEmpty() ? "" : "?" + queryString);
    }

    public byte[] getBodyBinary() {
        return bodyBinary;
    }

    public String getBodyText() {
        return new String(bodyBinary, StandardCharsets.UTF_8);
    }

    public String getBodyRaw() {
        return getBodyText();
    }

    /** The body as a JSON object; an empty body is an empty object. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> getBodyJson() {
        if (bodyBinary.length == 0) return new LinkedHashMap<>();
        Object parsed = Json.parse(getBodyText());
        if (!(parsed instanceof Map)) throw new IllegalArgumentException("The body is JSON but not an object.");
        return (Map<String, Object>) parsed;
    }

    /** The body as its content type says: parsed JSON, bytes, or text. */
    public Object getBody() {
        String type = headers.getOrDefault("content-type", "text/plain").toLowerCase();
        if (type.startsWith("application/json")) return bodyBinary.length == 0 ? new LinkedHashMap<>() : Json.parse(getBodyText());
        for (String binary : BINARY_TYPES) if (type.startsWith(binary)) return bodyBinary;
        return getBodyText();
    }

    public Map<String, String> getHeaders() {
        return headers;
    }

    public String getMethod() {
        return method;
    }

    public String getScheme() {
        return scheme;
    }

    public String getHost() {
        return host;
    }

    public int getPort() {
        return port;
    }

    public String getPath() {
        return path;
    }

    public String getQueryString() {
        return queryString;
    }

    public Map<String, String> getQuery() {
        return query;
    }

    public String getUrl() {
        return url;
    }
}
