package io.jcorn.protocol.http;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * Methods and header names that nearly every request carries, made into strings once at start-up,
 * each with a string derived from it (a header name's environ key): a parsed head then allocates
 * only for what is particular to the request. Matching is exact, case included, since the app sees
 * names as sent.
 */
final class KnownTokens {
    // before the tables below: building them reads words
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final KnownTokens METHODS = new KnownTokens(UnaryOperator.identity(), "GET", "HEAD", "POST", "PUT",
            "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE");
    static final KnownTokens HEADER_NAMES = new KnownTokens(RequestHead::environKey, "Host", "User-Agent", "Accept",
            "Accept-Language", "Accept-Encoding", "Accept-Charset", "Connection", "Keep-Alive", "Upgrade-Insecure-Requests", "Cookie",
            "Referer", "Origin", "Content-Type", "Content-Length", "Transfer-Encoding", "Expect", "Cache-Control",
            "Pragma", "Authorization", "If-None-Match", "If-Modified-Since", "Range", "DNT", "TE", "Priority",
            "Upgrade", "Sec-Fetch-Dest", "Sec-Fetch-Mode", "Sec-Fetch-Site", "Sec-Fetch-User", "Sec-CH-UA",
            "Sec-CH-UA-Mobile", "Sec-CH-UA-Platform", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host",
            "X-Forwarded-Port", "X-Forwarded-Ssl", "X-Real-IP", "X-Request-ID", "Forwarded", "Via",
            "X-Requested-With", "Front-End-Https",
            "host", "user-agent", "accept", "accept-language", "accept-encoding", "connection", "cookie",
            "referer", "origin", "content-type", "content-length", "transfer-encoding", "expect", "cache-control",
            "authorization", "x-forwarded-for", "x-forwarded-proto", "x-real-ip", "x-request-id");

    /** Longs kept per word: its bytes 0-7, 8-15 and 16-23, and its last eight. */
    private static final int STRIDE = 4;
    private static final int MAX_LENGTH = 32;

    // A probe reads two flat arrays, not an object per word: a lookup is a chain of dependent
    // loads, and every pointer followed lengthens it.
    private final String[] table;
    private final String[] derived;
    private final int[] lengths;
    private final long[] words;
    private final int mask;
    private final int shift;

    KnownTokens(UnaryOperator<String> derive, String... list) {
        int size = Integer.highestOneBit(list.length * 8);
        table = new String[size];
        derived = new String[size];
        lengths = new int[size];
        words = new long[size * STRIDE];
        mask = size - 1;
        shift = 64 - Integer.numberOfTrailingZeros(size);
        for (String word : list) {
            byte[] b = word.getBytes(StandardCharsets.ISO_8859_1);
            if (b.length == 0 || b.length > MAX_LENGTH) throw new IllegalArgumentException(word);
            byte[] padded = java.util.Arrays.copyOf(b, Math.max(b.length, 8));
            int slot = hash(first(padded, 0, b.length), last(padded, 0, b.length), b.length) & mask;
            while (table[slot] != null) slot = (slot + 1) & mask;
            table[slot] = word;
            derived[slot] = derive.apply(word);
            lengths[slot] = b.length;
            words[slot * STRIDE] = first(padded, 0, b.length);
            if (b.length > 16) words[slot * STRIDE + 1] = word(b, 8);
            if (b.length > 24) words[slot * STRIDE + 2] = word(b, 16);
            words[slot * STRIDE + 3] = last(padded, 0, b.length);
        }
    }

    /** The string of bytes {@code from..to}: a shared one if known, else a new one. */
    String string(byte[] b, int from, int to) {
        int slot = find(b, from, to);
        return slot >= 0 ? table[slot] : HttpParser.latin1(b, from, to);
    }

    /** The slot of the known word in bytes {@code from..to}, or -1. */
    int find(byte[] b, int from, int to) {
        int length = to - from;
        if (length == 0 || length > MAX_LENGTH) return -1;
        long first = first(b, from, length), last = last(b, from, length);
        for (int slot = hash(first, last, length) & mask; lengths[slot] != 0; slot = (slot + 1) & mask) {
            int at = slot * STRIDE;
            if (lengths[slot] == length && words[at] == first && words[at + 3] == last
                    && (length <= 16 || word(b, from + 8) == words[at + 1])
                    && (length <= 24 || word(b, from + 16) == words[at + 2])) {
                return slot;
            }
        }
        return -1;
    }

    String word(int slot) {
        return table[slot];
    }

    /** What was derived from the word in {@code slot} at start-up. */
    String derived(int slot) {
        return derived[slot];
    }

    /** The first eight bytes of a word, zeros after a shorter one's end. */
    private static long first(byte[] b, int from, int length) {
        if (length >= 8) return word(b, from);
        if (from + 8 <= b.length) return word(b, from) & (-1L >>> (64 - 8 * length));
        long w = 0;
        for (int i = length - 1; i >= 0; i--) w = w << 8 | (b[from + i] & 0xff);
        return w;
    }

    /** The last eight bytes of a word; a shorter one's {@link #first}. */
    private static long last(byte[] b, int from, int length) {
        return length >= 8 ? word(b, from + length - 8) : first(b, from, length);
    }

    /** One multiplication: the lookup's latency is the parser's, once per header line. */
    private int hash(long first, long last, int length) {
        return (int) (((first ^ Long.rotateLeft(last, 29) ^ length) * 0x9E3779B97F4A7C15L) >>> shift);
    }

    private static long word(byte[] b, int i) {
        return (long) WORDS.get(b, i);
    }
}
