package io.jcorn.protocol.http;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which peers may tell jcorn that the client spoke HTTPS to them, and by which headers
 * ({@code --forwarded-allow-ips}, {@code --secure-scheme-headers}, as Gunicorn has them).
 *
 * @param trustAll   {@code *}: every peer is trusted
 * @param trusted    peer addresses as REMOTE_ADDR shows them ({@code 127.0.0.1}, {@code ::1})
 * @param headers    upper-case header name to the value that means https
 */
public record SchemeRules(boolean trustAll, Set<String> trusted, Map<String, String> headers) {

    public static final String DEFAULT_ALLOW_IPS = "127.0.0.1,::1";
    public static final String DEFAULT_HEADERS = "X-FORWARDED-PROTOCOL=ssl,X-FORWARDED-PROTO=https,X-FORWARDED-SSL=on";

    /**
     * Reads the two flags' values.
     *
     * @throws IllegalArgumentException saying which part is malformed
     */
    public static SchemeRules parse(String allowIps, String secureHeaders) {
        boolean all = false;
        java.util.Set<String> ips = new java.util.LinkedHashSet<>();
        for (String item : allowIps.split(",")) {
            String ip = item.strip().toLowerCase(Locale.ROOT);
            if (ip.equals("*")) all = true;
            else if (!ip.isEmpty()) ips.add(ip);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String item : secureHeaders.split(",")) {
            if (item.isBlank()) continue;
            int eq = item.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("'" + item.strip() + "' is not HEADER=VALUE");
            headers.put(item.substring(0, eq).strip().toUpperCase(Locale.ROOT), item.substring(eq + 1).strip());
        }
        return new SchemeRules(all, Set.copyOf(ips), Map.copyOf(headers));
    }

    /**
     * The URL scheme of a request: {@code https} if a trusted peer says so with one of the headers.
     *
     * @param peer the peer's address as in REMOTE_ADDR, or null for a unix socket peer (a local
     *             proxy: trusted, as in Gunicorn)
     * @throws HttpError 400 if a trusted peer's headers disagree about the scheme
     */
    public String scheme(RequestHead head, String peer) throws HttpError {
        if (headers.isEmpty() || !(peer == null || trustAll || trusted.contains(peer))) return "http";
        String scheme = null;
        for (Map.Entry<String, String> rule : headers.entrySet()) {
            for (int i = 0; i < head.fieldCount(); i++) {
                if (!head.fieldName(i).equalsIgnoreCase(rule.getKey())) continue;
                String said = head.fieldValue(i).equals(rule.getValue()) ? "https" : "http";
                if (scheme != null && !scheme.equals(said)) throw new HttpError(400, "Contradictory scheme headers");
                scheme = said;
            }
        }
        return scheme == null ? "http" : scheme;
    }
}
