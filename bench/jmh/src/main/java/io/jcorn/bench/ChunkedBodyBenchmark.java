package io.jcorn.bench;

import io.jcorn.protocol.http.ParserOptions;
import io.jcorn.protocol.http.RequestBody;
import io.jcorn.protocol.http.RequestHead;
import io.jcorn.protocol.http.RequestInput;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Decodes a 1 MiB chunked request body into the app's 64 KiB reads. One operation is one MiB. */
@State(Scope.Thread)
public class ChunkedBodyBenchmark {
    static final int BODY = 1 << 20;

    /** Chunk size on the wire: what a streaming client or a proxy typically sends. */
    @Param({"8192", "65536"})
    public int chunk;

    private final ParserOptions options = ParserOptions.DEFAULT;
    private final byte[] appBuffer = new byte[64 * 1024];
    private final RequestHead head = new RequestHead("POST", "/upload", "/upload", "", "HTTP/1.1",
            java.util.List.of(), RequestHead.CHUNKED);
    private byte[] wire;

    @Setup
    public void encode() {
        byte[] data = new byte[BODY];
        new Random(1).nextBytes(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream(BODY + BODY / 100);
        for (int pos = 0; pos < BODY; pos += chunk) {
            int n = Math.min(chunk, BODY - pos);
            out.writeBytes((Integer.toHexString(n) + "; name=\"part\"\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(data, pos, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        wire = out.toByteArray();
    }

    @Benchmark
    public long decodeMegabyte() throws Exception {
        RequestBody body = RequestBody.of(head, new RequestInput(new ByteArrayInputStream(wire)), options);
        long total = 0;
        for (int n; (n = body.read(appBuffer, 0, appBuffer.length)) >= 0; ) total += n;
        if (total != BODY) throw new IllegalStateException("decoded " + total + " bytes");
        return total;
    }

}
