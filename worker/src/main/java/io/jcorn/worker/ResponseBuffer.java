package io.jcorn.worker;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The bytes of one write of a response: its head, and a small body right after it, so that a
 * typical response leaves in one write. A connection keeps one and reuses it for each response.
 */
final class ResponseBuffer {
    private byte[] bytes = new byte[1024];
    private ByteBuffer view = ByteBuffer.wrap(bytes);
    private int length;

    ResponseBuffer clear() {
        length = 0;
        return this;
    }

    int length() {
        return length;
    }

    ResponseBuffer append(byte[] b) {
        room(b.length);
        System.arraycopy(b, 0, bytes, length, b.length);
        length += b.length;
        return this;
    }

    /** Appends a string of ISO-8859-1 characters (header values are checked to be), a byte each. */
    ResponseBuffer append(String s) {
        int n = s.length();
        room(n);
        for (int i = 0; i < n; i++) bytes[length + i] = (byte) s.charAt(i);
        length += n;
        return this;
    }

    ResponseBuffer append(long decimal) {
        return append(Long.toString(decimal));
    }

    ResponseBuffer appendHex(int value) {
        return append(Integer.toHexString(value));
    }

    /** Appends the remaining bytes of {@code data}, leaving its position as it was. */
    ResponseBuffer append(ByteBuffer data) {
        int n = data.remaining();
        room(n);
        data.get(data.position(), bytes, length, n);
        length += n;
        return this;
    }

    /** The bytes as a buffer to write: the same buffer each time, valid until the next change. */
    ByteBuffer asBuffer() {
        return view.limit(length).position(0);
    }

    private void room(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            view = ByteBuffer.wrap(bytes);
        }
    }
}
