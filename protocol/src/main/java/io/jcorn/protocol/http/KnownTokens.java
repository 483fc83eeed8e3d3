package io.jcorn.protocol.http;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Methods and header names that nearly every request carries, made into strings once at start-up:
 * a parsed head then allocates only for what is particular to the request. Matching is exact,
 * case included, since the app sees names as sent.
 */
final class KnownTokens {
    static final KnownTokens METHODS = new KnownTokens("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS",
            "PATCH", "CONNECT", "TRACE");
    static final KnownTokens HEADER_NAMES = new KnownTokens("Host", "User-Agent", "Accept", "Accept-Language",
            "Accept-Encoding", "Accept-Charset", "Connection", "Keep-Alive", "Upgrade-Insecure-Requests", "Cookie",
            "Referer", "Origin", "Content-Type", "Content-Length", "Transfer-Encoding", "Expect", "Cache-Control",
            "Pragma", "Authorization", "If-None-Match", "If-Modified-Since", "Range", "DNT", "TE", "Priority",
            "Upgrade", "Sec-Fetch-Dest", "Sec-Fetch-Mode", "Sec-Fetch-Site", "Sec-Fetch-User", "Sec-CH-UA",
            "Sec-CH-UA-Mobile", "Sec-CH-UA-Platform", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host",
            "X-Forwarded-Port", "X-Forwarded-Ssl", "X-Real-IP", "X-Request-ID", "Forwarded", "Via",
            "X-Requested-With", "Front-End-Https",
            "host", "user-agent", "accept", "accept-language", "accept-encoding", "connection", "cookie",
            "referer", "origin", "content-type", "content-length", "transfer-encoding", "expect", "cache-control",
            "authorization", "x-forwarded-for", "x-forwarded-proto", "x-real-ip", "x-request-id");

    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final String[] table;
    private final byte[][] bytes;
    private final int mask;

    KnownTokens(String... words) {
        int size = Integer.highestOneBit(words.length * 8);
        table = new String[size];
        bytes = new byte[size][];
        mask = size - 1;
        for (String word : words) {
            byte[] b = word.getBytes(StandardCharsets.ISO_8859_1);
            int slot = hash(b, 0, b.length) & mask;
            while (table[slot] != null) slot = (slot + 1) & mask;
            table[slot] = word;
            bytes[slot] = b;
        }
    }

    /** The string of bytes {@code from..to}: a shared one if known, else a new one. */
    String string(byte[] b, int from, int to) {
        int length = to - from;
        if (length == 0) return "";
        for (int slot = hash(b, from, length) & mask; table[slot] != null; slot = (slot + 1) & mask) {
            if (matches(bytes[slot], b, from, length)) return table[slot];
        }
        return new String(b, from, length, StandardCharsets.ISO_8859_1);
    }

    private static int hash(byte[] b, int from, int length) {
        int h = (length << 24) ^ (b[from] << 16) ^ (b[from + length / 2] << 8) ^ b[from + length - 1];
        h *= 0x9E3779B1;
        return h ^ (h >>> 16);
    }

    /** Eight bytes at a time: names are mostly 6 to 25 bytes long. */
    private static boolean matches(byte[] word, byte[] b, int from, int length) {
        if (word.length != length) return false;
        if (length < 8) {
            for (int i = 0; i < length; i++) {
                if (word[i] != b[from + i]) return false;
            }
            return true;
        }
        for (int i = 0; i < length - 8; i += 8) {
            if ((long) WORDS.get(word, i) != (long) WORDS.get(b, from + i)) return false;
        }
        return (long) WORDS.get(word, length - 8) == (long) WORDS.get(b, from + length - 8);
    }
}
