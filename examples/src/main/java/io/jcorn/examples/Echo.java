package io.jcorn.examples;

import io.jcorn.protocol.App;
import io.jcorn.protocol.Environ;
import io.jcorn.protocol.StartResponse;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Answers every request with what the server made of it:
 * {@code {"environ": {every String-valued key}, "body_b64": "<the request body, base64>"}}.
 * Point a proxy at it to see what reaches the app.
 */
public final class Echo implements App {

    @Override
    public Iterable<?> call(Map<String, Object> environ, StartResponse startResponse) throws Exception {
        byte[] body;
        try (InputStream in = (InputStream) environ.get(Environ.INPUT)) {
            body = in.readAllBytes();
        }
        StringBuilder json = new StringBuilder("{\"environ\": {");
        String separator = "";
        for (Map.Entry<String, Object> entry : new TreeMap<>(environ).entrySet()) {
            if (!(entry.getValue() instanceof String value)) continue;
            json.append(separator).append(quote(entry.getKey())).append(": ").append(quote(value));
            separator = ", ";
        }
        json.append("}, \"body_b64\": \"").append(Base64.getEncoder().encodeToString(body)).append("\"}");
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        startResponse.start("200 OK", List.of(
                Map.entry("Content-Type", "application/json"),
                Map.entry("Content-Length", Integer.toString(bytes.length))));
        return List.of(bytes);
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append('"').toString();
    }
}
