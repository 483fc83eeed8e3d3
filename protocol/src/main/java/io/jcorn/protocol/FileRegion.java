package io.jcorn.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A response body that is a region of a file, as made by {@code jcorn.file_wrapper} ({@link FileWrapper}).
 * Returned from {@link App#call} as it is, it is sent by the worker straight from the file to
 * the socket ({@code FileChannel.transferTo}, sendfile on Linux), without passing through the
 * JVM's heap; with {@code Content-Length} set to the region's length if the app set none. The
 * worker closes it, and so the file, after the response.
 *
 * <p>A middleware that wraps the body sees an ordinary iterable of {@link ByteBuffer} blocks read
 * from the region, and must close it as it would any body.
 */
public final class FileRegion implements Iterable<ByteBuffer>, AutoCloseable {
    private static final int BLOCK = 64 * 1024;

    private final FileChannel file;
    private final long offset;
    private final long length;

    /**
     * @param file   an open file, read from {@code offset} with positional reads: its own position is left alone
     * @param offset where the region starts, 0 or more
     * @param length the region's length in bytes, or a negative number for "to the end of the file";
     *               a region past the file's end is cut at its end when sent
     */
    public FileRegion(FileChannel file, long offset, long length) {
        if (offset < 0) throw new IllegalArgumentException("negative offset " + offset);
        this.file = file;
        this.offset = offset;
        this.length = length;
    }

    public FileChannel file() {
        return file;
    }

    public long offset() {
        return offset;
    }

    /** The bytes to send: the region's length, cut at the file's current end. */
    public long size() throws IOException {
        long available = Math.max(0, file.size() - offset);
        return length < 0 ? available : Math.min(length, available);
    }

    /** Blocks of up to 64 KiB read from the region, for whoever iterates instead of sending the file. */
    @Override
    public Iterator<ByteBuffer> iterator() {
        return new Iterator<>() {
            private long position = offset;
            private final long end = end();

            @Override
            public boolean hasNext() {
                return position < end;
            }

            @Override
            public ByteBuffer next() {
                if (!hasNext()) throw new NoSuchElementException();
                ByteBuffer block = ByteBuffer.allocate((int) Math.min(BLOCK, end - position));
                try {
                    while (block.hasRemaining()) {
                        if (file.read(block, position + block.position()) < 0) {
                            position = end; // the file shrank: what it still had is the whole body
                            return block.flip();
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                position += block.position();
                return block.flip();
            }
        };
    }

    private long end() {
        try {
            return offset + size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the file. */
    @Override
    public void close() throws IOException {
        file.close();
    }
}
