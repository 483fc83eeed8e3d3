package io.jcorn.worker;

import io.jcorn.protocol.FileRegion;
import io.jcorn.protocol.StartResponse;
import io.jcorn.protocol.http.RequestHead;
import io.jcorn.protocol.http.Status;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The app's {@link StartResponse}, and the writer of what it answers. Headers go out with the
 * first non-empty body chunk (PEP 3333); the body is framed by the app's Content-Length, else
 * chunked for HTTP/1.1, else by closing the connection. A {@code jcorn.file_wrapper} body goes
 * out whole with its length, through {@link FileTransfer}.
 */
final class ResponseWriter implements StartResponse {
    // Gunicorn's order: status line, Server, Date, Connection, Transfer-Encoding, then the app's headers.
    private static final byte[] SERVER = "Server: jcorn\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "Connection: close\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = "Connection: keep-alive\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHUNKED = "Transfer-Encoding: chunked\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HTTP11 = "HTTP/1.1 ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COLON = {':', ' '};
    private static final byte[] CONTENT_LENGTH = "Content-Length: ".getBytes(StandardCharsets.US_ASCII);
    // A body chunk up to this size is copied after the head into one write; a larger one is
    // written from where it is, beside the head (the JDK copies heap bytes once more anyway).
    private static final int COPY_LIMIT = 16 * 1024;
    // Framing and connection handling are the server's; an app's values would contradict them.
    private static final List<String> HOP_BY_HOP = List.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "te", "trailer", "upgrade");

    private final SocketChannel client;
    private final ResponseBuffer out;
    private final boolean head;
    private final boolean http11;
    private final byte[] dateLine;
    private final boolean keepAlive;
    private boolean persistent;
    private boolean finished;
    private String status;
    private List<Map.Entry<String, String>> headers;
    private long contentLength = -1;
    /** A Content-Length the server adds (empty body, file body) when the app gave none; -1 for none. */
    private long addedLength = -1;
    private long written;
    private boolean chunked;
    private boolean headersSent;
    // Claimed once, by the first to answer: the request's thread, or the request-timeout watchdog.
    private final AtomicBoolean committed = new AtomicBoolean();
    private volatile boolean timedOut;
    private int errorStatus;

    /** @param keepAlive the client may send another request after this one, if the response can be framed */
    ResponseWriter(SocketChannel client, RequestHead request, byte[] dateLine, boolean keepAlive) {
        this(client, new ResponseBuffer(), request, dateLine, keepAlive);
    }

    /** @param out the connection's buffer for the bytes of a write */
    ResponseWriter(SocketChannel client, ResponseBuffer out, RequestHead request, byte[] dateLine, boolean keepAlive) {
        this.client = client;
        this.out = out;
        this.keepAlive = keepAlive;
        this.head = request.method().equals("HEAD");
        this.http11 = request.version().equals("HTTP/1.1");
        this.dateLine = dateLine;
    }

    @Override
    public void start(String status, List<Map.Entry<String, String>> headers, Throwable excInfo) {
        if (excInfo != null && headersSent) throw sneaky(excInfo);
        if (this.status != null && excInfo == null) {
            throw new IllegalStateException("start_response called a second time without exc_info");
        }
        checkStatus(status);
        List<Map.Entry<String, String>> kept = new ArrayList<>(headers.size());
        long length = -1;
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey(), value = header.getValue();
            checkHeader(name, value);
            if (isHopByHop(name)) continue;
            if (name.equalsIgnoreCase("Content-Length")) length = parseLength(value);
            kept.add(header);
        }
        this.status = status;
        this.headers = kept;
        this.contentLength = length;
    }

    /** The status code sent (or to be sent), 0 if the app set none; for the access log. */
    int statusCode() {
        if (errorStatus != 0) return errorStatus;
        return status == null ? 0 : Integer.parseInt(status, 0, 3, 10);
    }

    /** The body bytes the app wrote; for the access log. */
    long bodyBytes() {
        return written;
    }

    /** The app's value of a response header, or null; for the access log. */
    String header(String name) {
        if (headers == null) return null;
        for (Map.Entry<String, String> header : headers) if (header.getKey().equalsIgnoreCase(name)) return header.getValue();
        return null;
    }

    /** Whether a status line went out (or the request timed out, which answers for the app). */
    boolean headersSent() {
        return committed.get();
    }

    /** The request took too long: true if nothing was sent yet, and then the app may send nothing more. */
    boolean timeOut() {
        timedOut = true;
        return committed.compareAndSet(false, true);
    }

    /** Whether the request timed out: what the app does next (an interrupted sleep...) is no error of its own. */
    boolean timedOut() {
        return timedOut;
    }

    private void commit() throws ClientGoneException {
        if (!committed.compareAndSet(false, true)) {
            throw new ClientGoneException(new java.io.IOException("the request timed out"));
        }
    }

    /** Whether the response went out whole, framed, and told the client the connection stays open. */
    boolean reusable() {
        return persistent && finished && (head || chunked || written == contentLength);
    }

    /** Writes the app's body: a file region straight from the file, else element by element. */
    void writeBody(Iterable<?> body) throws IOException {
        if (body instanceof FileRegion file) {
            writeFile(file);
        } else {
            for (Object chunk : body) write(chunk);
        }
    }

    /** A {@code jcorn.file_wrapper} body: Content-Length from the region unless the app set one, then sendfile. */
    private void writeFile(FileRegion file) throws IOException {
        if (status == null) throw new IllegalStateException("the app returned a body before calling start_response");
        long length = file.size();
        if (contentLength < 0) contentLength = addedLength = length;
        length = Math.min(length, contentLength);
        putHead();
        writeFully(client, out.asBuffer());
        if (!head) written += FileTransfer.send(file, length, client);
    }

    /** Writes one element of the app's body: a {@code byte[]} or a {@code ByteBuffer}. */
    void write(Object chunk) throws IOException {
        ByteBuffer data = switch (chunk) {
            case byte[] bytes -> ByteBuffer.wrap(bytes);
            case ByteBuffer buffer -> buffer;
            case null -> throw new IllegalStateException("the app's body held a null element");
            default -> throw new IllegalStateException("the app's body held a " + chunk.getClass().getName()
                    + "; body elements must be byte[] or ByteBuffer");
        };
        if (!data.hasRemaining()) return;
        if (status == null) throw new IllegalStateException("the app produced a body before calling start_response");
        if (contentLength >= 0) {
            long room = contentLength - written;
            if (data.remaining() > room) {
                Log.warning("the app wrote more than its Content-Length of " + contentLength + "; the rest is dropped");
                data = data.slice(data.position(), (int) room);
            }
        }
        written += data.remaining();
        send(data);
    }

    /** Ends the response: headers if none went out yet, and the last chunk. */
    void finish() throws IOException {
        if (status == null) throw new IllegalStateException("the app returned without calling start_response");
        if (!headersSent) {
            if (contentLength < 0) {
                contentLength = 0;
                if (!head && !bodyless(status)) addedLength = 0;
            }
            putHead();
            writeFully(client, out.asBuffer());
        } else if (chunked && !head) {
            writeFully(client, ByteBuffer.wrap(LAST_CHUNK));
        }
        finished = true;
    }

    /** The status line the app started, or null if it started none. */
    String status() {
        return status;
    }

    /** Answers with an error status and a short plain-text body, then the connection closes. */
    void writeError(int code, String message) throws IOException {
        commit();
        errorStatus = code;
        headersSent = true;
        persistent = false;
        writeError(client, code, message, dateLine);
    }

    /** Answers an error and ends the connection: the client may still be sending what caused it. */
    static void writeError(SocketChannel client, int code, String message, byte[] dateLine) throws IOException {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(("HTTP/1.1 " + code + " " + Status.reason(code) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(SERVER);
        out.writeBytes(dateLine);
        out.writeBytes(CLOSE);
        out.writeBytes(("Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        writeFully(client, ByteBuffer.wrap(out.toByteArray()));
        LingeringClose.drain(client);
    }

    /** The status line and headers, into {@link #out}: framing and connection headers decided here. */
    private void putHead() throws ClientGoneException {
        commit();
        chunked = contentLength < 0 && http11 && !head;
        persistent = keepAlive && (contentLength >= 0 || chunked || head);
        out.clear().append(HTTP11).append(status).append(CRLF).append(SERVER).append(dateLine)
                .append(persistent ? KEEP_ALIVE : CLOSE);
        if (chunked) out.append(CHUNKED);
        for (Map.Entry<String, String> header : headers) {
            out.append(header.getKey()).append(COLON).append(header.getValue()).append(CRLF);
        }
        if (addedLength >= 0) out.append(CONTENT_LENGTH).append(addedLength).append(CRLF);
        out.append(CRLF);
        headersSent = true;
    }

    /** Writes one body chunk, after the head if it has not gone out yet: in one write if they are small. */
    private void send(ByteBuffer data) throws IOException {
        if (headersSent) out.clear();
        else putHead();
        if (head) {
            if (out.length() > 0) writeFully(client, out.asBuffer());
            return;
        }
        if (chunked) out.appendHex(data.remaining()).append(CRLF);
        if (out.length() + data.remaining() <= COPY_LIMIT) {
            out.append(data);
            if (chunked) out.append(CRLF);
            writeFully(client, out.asBuffer());
        } else if (chunked) {
            writeFully(client, out.asBuffer(), data, ByteBuffer.wrap(CRLF));
        } else {
            writeFully(client, out.asBuffer(), data);
        }
    }

    /** The interim answer to {@code Expect: 100-continue}, sent when the app first reads the body. */
    static void writeContinue(SocketChannel client) throws IOException {
        writeFully(client, ByteBuffer.wrap(CONTINUE));
    }

    // write(2), not writev(2): the kernel's shorter path
    private static void writeFully(SocketChannel client, ByteBuffer buffer) throws IOException {
        try {
            while (buffer.hasRemaining()) client.write(buffer);
        } catch (IOException e) {
            throw new ClientGoneException(e);
        }
    }

    private static void writeFully(SocketChannel client, ByteBuffer... buffers) throws IOException {
        try {
            long remaining = 0;
            for (ByteBuffer b : buffers) remaining += b.remaining();
            while (remaining > 0) remaining -= client.write(buffers);
        } catch (IOException e) {
            throw new ClientGoneException(e);
        }
    }

    private static boolean isHopByHop(String name) {
        for (String hop : HOP_BY_HOP) if (hop.equalsIgnoreCase(name)) return true;
        return false;
    }

    /** RFC 9110 §8.6: 1xx, 204 and 304 responses have no body and no Content-Length of their own. */
    private static boolean bodyless(String status) {
        return status.charAt(0) == '1' || status.startsWith("204") || status.startsWith("304");
    }

    private static void checkStatus(String status) {
        if (status == null || status.length() < 4 || status.charAt(3) != ' '
                || !Character.isDigit(status.charAt(0)) || !Character.isDigit(status.charAt(1))
                || !Character.isDigit(status.charAt(2)) || status.charAt(0) < '1' || hasControl(status)) {
            throw new IllegalArgumentException("invalid status line from the app: '" + status + "'");
        }
    }

    private static void checkHeader(String name, String value) {
        if (name == null || name.isEmpty() || value == null || hasControl(value)) {
            throw new IllegalArgumentException("invalid response header from the app: " + name + ": " + value);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7f || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                throw new IllegalArgumentException("invalid response header name from the app: '" + name + "'");
            }
        }
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < ' ' && c != '\t') || c == 0x7f || c > 0xff) return true;
        }
        return false;
    }

    private static long parseLength(String value) {
        try {
            long length = Long.parseLong(value.trim());
            if (length >= 0) return length;
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("invalid Content-Length from the app: '" + value + "'");
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
