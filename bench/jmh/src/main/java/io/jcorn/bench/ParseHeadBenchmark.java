package io.jcorn.bench;

import io.jcorn.protocol.http.HttpParser;
import io.jcorn.protocol.http.ParserOptions;
import io.jcorn.protocol.http.RequestHead;
import io.jcorn.protocol.http.RequestInput;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Parses a typical browser request head, as a keep-alive connection delivers them: one after the
 * other through the connection's window, refilled from the stream as it empties.
 *
 * <p>One operation produces every string the environ takes from the head: the method and version
 * (shared constants), RAW_URI, PATH_INFO before decoding and QUERY_STRING, and each header's value
 * with its environ key (shared constants for known names, built for the others), and nothing
 * else: each parse fills the connection's last head again, as the worker's does. Building the
 * environ map itself is the worker's and not measured here. The JVM uses a worker's garbage
 * collector (the default {@code --worker-jvm-opts}), so allocation costs what it costs there; not
 * its heap sizes ({@code -Xms12m -Xmn8m}): a worker's young generation fills with the environ,
 * the response and the connection's objects too, and sized for those alone it would collect every
 * few thousand heads here, measuring the collector rather than the parser.
 */
@State(Scope.Thread)
@Fork(jvmArgsAppend = "-XX:+UseSerialGC")
public class ParseHeadBenchmark {
    static final String BROWSER_REQUEST = """
            GET /articles/2026/11/http-parsing.html?ref=home&page=2 HTTP/1.1\r
            Host: www.example.com\r
            User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0\r
            Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r
            Accept-Language: en-US,en;q=0.5\r
            Accept-Encoding: gzip, deflate, br, zstd\r
            Connection: keep-alive\r
            Cookie: session=4f9a2c1e8b7d; theme=dark\r
            Upgrade-Insecure-Requests: 1\r
            \r
            """;

    private static final byte[] HEAD = BROWSER_REQUEST.getBytes(StandardCharsets.ISO_8859_1);

    private final HttpParser parser = new HttpParser(ParserOptions.DEFAULT);
    private RequestInput connection;
    private EmbeddedChannel netty;
    /** The connection's last head, filled again by the next parse, as the worker does. */
    private RequestHead head;

    @Setup
    public void connect() {
        connection = new RequestInput(new Repeating(HEAD));
        netty = new EmbeddedChannel(new HttpRequestDecoder());
        HttpRequest request = nettyHttpRequestDecoder();
        if (!request.decoderResult().isSuccess() || request.headers().size() != 8) {
            throw new IllegalStateException("Netty did not decode the head: " + request);
        }
    }

    @Benchmark
    public RequestHead parseBrowserRequest() throws Exception {
        return head = parser.parse(connection, head);
    }

    /** The same, then every header's environ key and value, as the worker puts them in the environ. */
    @Benchmark
    public void parseForEnviron(Blackhole environ) throws Exception {
        head = parser.parse(connection, head);
        for (int i = 0; i < head.fieldCount(); i++) {
            environ.consume(head.environKey(i));
            environ.consume(head.fieldValue(i));
        }
    }

    /**
     * The peer, in the same run: Netty's {@code HttpRequestDecoder} (validating its headers, as it
     * does by default) decoding the same head, handed to it as a socket read would: the request
     * and the empty last content it emits for a request without a body.
     */
    @Benchmark
    public HttpRequest nettyHttpRequestDecoder() {
        netty.writeInbound(Unpooled.wrappedBuffer(HEAD));
        HttpRequest request = netty.readInbound();
        LastHttpContent end = netty.readInbound();
        end.release();
        return request;
    }

    /** An endless stream of the same bytes, like a client pipelining one request forever. */
    static final class Repeating extends InputStream {
        private final byte[] bytes;
        private int pos;

        Repeating(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            int b = bytes[pos] & 0xff;
            pos = (pos + 1) % bytes.length;
            return b;
        }

        @Override
        public int read(byte[] dst, int off, int len) {
            int n = 0;
            while (n < len) {
                int piece = Math.min(len - n, bytes.length - pos);
                System.arraycopy(bytes, pos, dst, off + n, piece);
                n += piece;
                pos = (pos + piece) % bytes.length;
            }
            return n;
        }
    }
}
