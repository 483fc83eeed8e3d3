package io.jcorn.worker.tls;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.SocketChannel;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * One TLS connection over a worker's blocking {@link SocketChannel}, through an {@link SSLEngine}
 * (an {@code SSLSocket} would hide the channel that gthread parks in its epoll set by descriptor).
 * Encrypted bytes are read from {@code rawInput} (the worker's {@code TimedInput}, so a TLS read
 * has the same time bounds as a plain one: a handshake or head within
 * {@code --header-read-timeout}, each body read within {@code --timeout}) and written to the channel.
 *
 * <p>The handshake can be driven two ways. A thread that may wait (a virtual thread, a sync
 * worker's) calls {@link #handshake()}, which reads until it is done. A thread that must not (a
 * gthread thread, woken by epoll because the socket is readable) calls {@link #advanceHandshake()},
 * which reads at most once, so a client that stalls halfway holds no thread: the connection goes
 * back to the epoll set until its next bytes come. Its writes (the server's flight: a few
 * kilobytes of certificates) go to the socket buffer without waiting.
 *
 * <p>Epoll sees the socket, not this object: decrypted bytes that a read did not take, or a whole
 * record that arrived with the last one, wait here ({@link #hasBufferedInput()}), and a connection
 * holding them must be served, not parked.
 *
 * <p>As Gunicorn with {@code --suppress-ragged-eofs} (its default), a client that closes without
 * TLS's close_notify has simply ended ({@code -1}); without it, that is an {@link SSLException}.
 * Differs from Gunicorn: {@link #close()} sends close_notify (Python's {@code close()} does not).
 * Used by one thread at a time, as the worker's connections are.
 */
public final class TlsChannel implements ByteChannel, GatheringByteChannel {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** TLS record header: type, version, length. */
    private static final int RECORD_HEADER = 5;

    private final SocketChannel channel;
    private final InputStream rawInput;
    private final SSLEngine engine;
    private final boolean suppressRaggedEofs;
    /** Encrypted bytes read and not yet decrypted, ready to read from (flipped); null until needed. */
    private ByteBuffer netIn;
    /** Decrypted bytes a caller's buffer had no room for, ready to read from; null until needed. */
    private ByteBuffer appIn;
    private ByteBuffer netOut;
    private boolean handshakeDone;
    private boolean inboundDone;
    private boolean closed;

    /**
     * @param rawInput the channel's bytes as the worker reads them (its {@code TimedInput})
     * @param engine   a server-side engine ({@link ServerTls#newEngine()})
     */
    public TlsChannel(SocketChannel channel, InputStream rawInput, SSLEngine engine, boolean suppressRaggedEofs)
            throws SSLException {
        this.channel = channel;
        this.rawInput = rawInput;
        this.engine = engine;
        this.suppressRaggedEofs = suppressRaggedEofs;
        engine.beginHandshake();
    }

    // ---------------------------------------------------------------- the handshake

    /**
     * Takes the handshake as far as the bytes here and at most one read from the socket allow:
     * for a thread told by epoll that the socket is readable, so the read does not wait.
     *
     * @return true once the handshake is done; false if it needs the client's next bytes
     * @throws EOFException if the client closed the connection during the handshake
     * @throws SSLException if the handshake failed (its alert has been sent)
     */
    public boolean advanceHandshake() throws IOException {
        boolean readOnce = false;
        try {
            while (true) {
                switch (engine.getHandshakeStatus()) {
                    case NOT_HANDSHAKING, FINISHED -> {
                        handshakeDone = true;
                        return true;
                    }
                    case NEED_TASK -> runTasks();
                    case NEED_WRAP -> wrapAndSend(EMPTY);
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        if (!unwrapHandshake()) {
                            if (readOnce) return false;
                            readOnce = true;
                            if (fill() < 0) throw new EOFException("the client closed the connection during the TLS handshake");
                        }
                    }
                }
            }
        } catch (SSLException e) {
            sendAlert();
            throw e;
        }
    }

    /** Runs the handshake to its end, reading as it needs to: for a thread that may wait. */
    public void handshake() throws IOException {
        while (!advanceHandshake()) {
            // each turn waits for the client's next bytes, within the time bounds of the raw input
        }
    }

    public boolean isHandshakeDone() {
        return handshakeDone;
    }

    /** One unwrap of what is here; false if a whole record is not. */
    private boolean unwrapHandshake() throws IOException {
        if (netIn == null || !netIn.hasRemaining()) return false;
        SSLEngineResult result = engine.unwrap(netIn, EMPTY);
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) result = unwrapIntoAppIn();
        return switch (result.getStatus()) {
            case BUFFER_UNDERFLOW -> false;
            case CLOSED -> throw new EOFException("the client closed the connection during the TLS handshake");
            default -> true;
        };
    }

    private void runTasks() {
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) task.run();
    }

    /** After a failed handshake the engine holds an alert saying why: the client gets it if it listens. */
    private void sendAlert() {
        try {
            engine.closeOutbound();
            while (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP && !engine.isOutboundDone()) {
                wrapAndSend(EMPTY);
            }
        } catch (IOException e) {
            // the client is gone; the failure itself is what the caller reports
        }
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads decrypted bytes, waiting for the client's as a plain read does (within the raw
     * input's time bounds); finishes the handshake first if it is not done.
     *
     * @return the bytes read, or -1 at the end of the client's input
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!handshakeDone) handshake();
        if (appIn != null && appIn.hasRemaining()) return drainAppIn(dst);
        if (inboundDone) return -1;
        if (!dst.hasRemaining()) return 0;
        while (true) {
            if (netIn == null || !netIn.hasRemaining()) {
                if (fill() < 0) return endOfInput();
                continue;
            }
            SSLEngineResult result = engine.unwrap(netIn, dst);
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                result = unwrapIntoAppIn();
                if (result.bytesProduced() > 0) return drainAppIn(dst);
            }
            switch (result.getStatus()) {
                case CLOSED -> {
                    inboundDone = true; // the client's close_notify
                    return -1;
                }
                case BUFFER_UNDERFLOW -> {
                    if (fill() < 0) return endOfInput();
                }
                default -> {
                    afterUnwrap();
                    if (result.bytesProduced() > 0) return result.bytesProduced();
                }
            }
        }
    }

    /** A client may send handshake messages after the handshake (TLS 1.3 key updates): answer them. */
    private void afterUnwrap() throws IOException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> wrapAndSend(EMPTY);
                default -> {
                    return;
                }
            }
        }
    }

    /** The caller's buffer has no room for a whole record: decrypt into ours, then copy. */
    private SSLEngineResult unwrapIntoAppIn() throws SSLException {
        int size = engine.getSession().getApplicationBufferSize();
        if (appIn == null || appIn.capacity() < size) appIn = ByteBuffer.allocate(size);
        appIn.clear();
        try {
            return engine.unwrap(netIn, appIn);
        } finally {
            appIn.flip();
        }
    }

    private int drainAppIn(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), appIn.remaining());
        ByteBuffer slice = appIn.slice(appIn.position(), n);
        dst.put(slice);
        appIn.position(appIn.position() + n);
        return n;
    }

    /** Reads once from the raw input into {@link #netIn}; -1 at its end. */
    private int fill() throws IOException {
        int size = engine.getSession().getPacketBufferSize();
        if (netIn == null) netIn = ByteBuffer.allocate(size).flip();
        netIn.compact();
        try {
            if (!netIn.hasRemaining()) {
                ByteBuffer larger = ByteBuffer.allocate(Math.max(size, netIn.capacity() * 2));
                netIn = larger.put(netIn.flip());
            }
            int n = rawInput.read(netIn.array(), netIn.arrayOffset() + netIn.position(), netIn.remaining());
            if (n > 0) netIn.position(netIn.position() + n);
            return n;
        } finally {
            netIn.flip();
        }
    }

    /** The socket ended: after close_notify that is the end; without it, a ragged end. */
    private int endOfInput() throws SSLException {
        inboundDone = true;
        try {
            engine.closeInbound();
        } catch (SSLException e) {
            if (!suppressRaggedEofs) {
                throw new SSLException("the client closed the connection without TLS's close_notify"
                        + " (--suppress-ragged-eofs is off)", e);
            }
        }
        return -1;
    }

    /**
     * Whether input waits here that epoll cannot see: decrypted bytes not read yet, or a whole
     * record read with the last one. A connection with buffered input must be served, not parked.
     */
    public boolean hasBufferedInput() {
        if (appIn != null && appIn.hasRemaining()) return true;
        if (netIn == null || netIn.remaining() < RECORD_HEADER) return false;
        int at = netIn.position();
        int length = ((netIn.get(at + 3) & 0xff) << 8) | (netIn.get(at + 4) & 0xff);
        return netIn.remaining() >= RECORD_HEADER + length;
    }

    /** The decrypted bytes as a stream, for the worker's {@code RequestInput}. */
    public InputStream input() {
        return new InputStream() {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return TlsChannel.this.read(ByteBuffer.wrap(b, off, len));
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n;
                do {
                    n = read(one, 0, 1);
                } while (n == 0);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int available() {
                return appIn == null ? 0 : appIn.remaining();
            }
        };
    }

    // ---------------------------------------------------------------- writing

    /** Encrypts and writes all of {@code src}, waiting as a plain blocking write does. */
    @Override
    public int write(ByteBuffer src) throws IOException {
        return (int) write(new ByteBuffer[] {src}, 0, 1);
    }

    /** Encrypts and writes all of the buffers, several of them into one record where they fit (a head and its body). */
    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (!handshakeDone) handshake();
        long written = 0;
        while (hasRemaining(srcs, offset, length)) written += wrapAndSend(srcs, offset, length);
        return written;
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    private static boolean hasRemaining(ByteBuffer[] srcs, int offset, int length) {
        for (int i = offset; i < offset + length; i++) if (srcs[i].hasRemaining()) return true;
        return false;
    }

    private int wrapAndSend(ByteBuffer src) throws IOException {
        return wrapAndSend(new ByteBuffer[] {src}, 0, 1);
    }

    /** One wrap (a record, or a handshake flight's next part), sent whole; the bytes of {@code srcs} it took. */
    private int wrapAndSend(ByteBuffer[] srcs, int offset, int length) throws IOException {
        SSLEngineResult result = wrap(srcs, offset, length);
        while (netOut.hasRemaining()) channel.write(netOut);
        if (result.getStatus() == SSLEngineResult.Status.CLOSED && result.bytesConsumed() == 0 && hasRemaining(srcs, offset, length)) {
            throw new ClosedChannelException();
        }
        return result.bytesConsumed();
    }

    /** Encrypts into {@link #netOut}, left ready to write from. */
    private SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length) throws SSLException {
        int size = engine.getSession().getPacketBufferSize();
        if (netOut == null || netOut.capacity() < size) netOut = ByteBuffer.allocate(size);
        netOut.clear();
        try {
            return engine.wrap(srcs, offset, length, netOut);
        } finally {
            netOut.flip();
        }
    }

    // ---------------------------------------------------------------- the rest

    /** The client certificate's subject (RFC 2253, e.g. {@code CN=client one,O=Example}); null if it sent none. */
    public String peerSubject() {
        X509Certificate certificate = peerCertificate();
        return certificate == null ? null : certificate.getSubjectX500Principal().getName();
    }

    /** The client's certificate; null if it sent none (or the handshake is not done). */
    public X509Certificate peerCertificate() {
        try {
            Certificate[] chain = engine.getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x509 ? x509 : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    /** The negotiated session: protocol, cipher suite. */
    public SSLSession session() {
        return engine.getSession();
    }

    public SocketChannel channel() {
        return channel;
    }

    /**
     * Lets go of the buffers that hold nothing, for a connection about to wait idle a long time
     * (about 33 KiB each while it serves; a worker's heap is small). They come back when needed.
     */
    public void releaseBuffers() {
        if (netIn != null && !netIn.hasRemaining()) netIn = null;
        if (appIn != null && !appIn.hasRemaining()) appIn = null;
        netOut = null;
    }

    @Override
    public boolean isOpen() {
        return !closed && channel.isOpen();
    }

    /**
     * Sends close_notify, without waiting for the client to take it (a client that reads nothing
     * must not hold the thread), then closes the socket.
     */
    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        try {
            engine.closeOutbound();
            if (channel.isOpen() && !engine.isOutboundDone()) {
                wrap(new ByteBuffer[] {EMPTY}, 0, 1);
                channel.configureBlocking(false);
                channel.write(netOut); // once: what the socket buffer takes
            }
        } catch (IOException | RuntimeException e) {
            // the client is gone or not reading: it misses close_notify, as with a plain close
        } finally {
            channel.close();
        }
    }
}
