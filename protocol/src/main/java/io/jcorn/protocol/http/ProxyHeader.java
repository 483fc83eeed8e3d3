package io.jcorn.protocol.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The PROXY protocol header (HAProxy, v1 text and v2 binary) a load balancer puts before the
 * first request of a connection, giving the client's address. Anything malformed is an
 * IOException: the connection is closed without an answer, as the spec requires.
 */
public final class ProxyHeader {
    /** Which versions are expected ({@code --proxy-protocol}). */
    public enum Mode { OFF, V1, V2, AUTO }

    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final int V1_MAX = 107;

    private ProxyHeader() {}

    /**
     * Reads the header at the start of {@code in} (which must support mark/reset for AUTO).
     *
     * @return the client's address, or null if the header says the connection is the proxy's own
     *         (v1 UNKNOWN, v2 LOCAL or an unspecified family); with AUTO, also when there is no header
     * @throws IOException no valid header where one is required
     */
    public static InetSocketAddress read(InputStream in, Mode mode) throws IOException {
        return switch (mode) {
            case OFF -> null;
            case V1 -> readV1(in);
            case V2 -> readV2(in);
            case AUTO -> {
                in.mark(1);
                int first = in.read();
                in.reset();
                yield first == 'P' ? readV1(in) : first == 0x0D ? readV2(in) : null;
            }
        };
    }

    private static InetSocketAddress readV1(InputStream in) throws IOException {
        byte[] line = new byte[V1_MAX];
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) throw new EOFException("connection closed inside a PROXY header");
            if (b == '\r') {
                if (in.read() != '\n') throw bad("PROXY v1 line without CRLF");
                break;
            }
            if (n == V1_MAX - 2) throw bad("PROXY v1 line too long");
            line[n++] = (byte) b;
        }
        String[] parts = new String(line, 0, n, StandardCharsets.US_ASCII).split(" ", -1);
        if (parts.length >= 2 && parts[0].equals("PROXY") && parts[1].equals("UNKNOWN")) return null;
        if (parts.length != 6 || !parts[0].equals("PROXY")) throw bad("malformed PROXY v1 line");
        boolean v4 = parts[1].equals("TCP4");
        if (!v4 && !parts[1].equals("TCP6")) throw bad("unknown PROXY v1 protocol " + parts[1]);
        byte[] source = literal(parts[2], v4);
        literal(parts[3], v4);
        int port = port(parts[4]);
        port(parts[5]);
        return new InetSocketAddress(InetAddress.getByAddress(source), port);
    }

    private static InetSocketAddress readV2(InputStream in) throws IOException {
        byte[] head = in.readNBytes(16);
        if (head.length < 16) throw new EOFException("connection closed inside a PROXY header");
        if (!Arrays.equals(head, 0, 12, V2_SIGNATURE, 0, 12)) throw bad("no PROXY v2 signature");
        int versionCommand = head[12] & 0xff, family = head[13] & 0xff;
        int length = ((head[14] & 0xff) << 8) | (head[15] & 0xff);
        if (versionCommand >> 4 != 2 || (versionCommand & 0x0f) > 1) throw bad("bad PROXY v2 version or command");
        byte[] body = in.readNBytes(length);
        if (body.length < length) throw new EOFException("connection closed inside a PROXY header");
        if ((versionCommand & 0x0f) == 0) return null; // LOCAL: the proxy's own connection, e.g. a health check
        return switch (family) {
            case 0x11 -> address(body, 4, length, 12);
            case 0x21 -> address(body, 16, length, 36);
            case 0x00 -> null;
            default -> throw bad("unsupported PROXY v2 family " + family);
        };
    }

    private static InetSocketAddress address(byte[] body, int size, int length, int needed) throws IOException {
        if (length < needed) throw bad("PROXY v2 address block too short");
        int port = ((body[2 * size] & 0xff) << 8) | (body[2 * size + 1] & 0xff);
        return new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOf(body, size)), port);
    }

    /** An address literal only: a name here must never be resolved. */
    private static byte[] literal(String text, boolean v4) throws IOException {
        if (v4 ? !text.matches("(\\d{1,3}\\.){3}\\d{1,3}") : !text.matches("[0-9a-fA-F:.]{2,45}") || !text.contains(":")) {
            throw bad("bad address in PROXY v1 line: " + text);
        }
        if (v4) {
            byte[] bytes = new byte[4];
            String[] octets = text.split("\\.");
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(octets[i]);
                if (octet > 255 || (octets[i].length() > 1 && octets[i].startsWith("0"))) throw bad("bad IPv4 address " + text);
                bytes[i] = (byte) octet;
            }
            return bytes;
        }
        try {
            byte[] bytes = InetAddress.getByName(text).getAddress();
            if (bytes.length != (v4 ? 4 : 16)) throw bad("address family mismatch in PROXY v1 line");
            return bytes;
        } catch (java.net.UnknownHostException e) {
            throw bad("bad address in PROXY v1 line: " + text);
        }
    }

    private static int port(String text) throws IOException {
        if (!text.matches("\\d{1,5}") || (text.length() > 1 && text.startsWith("0"))) throw bad("bad port " + text);
        int port = Integer.parseInt(text);
        if (port > 65535) throw bad("bad port " + text);
        return port;
    }

    private static IOException bad(String message) {
        return new IOException(message);
    }
}
