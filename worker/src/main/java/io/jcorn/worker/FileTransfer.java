package io.jcorn.worker;

import io.jcorn.protocol.FileRegion;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Sends a {@link FileRegion} from the file to the socket: {@code transferTo}, which is sendfile
 * on Linux (no copy through the heap), and plain reads and writes for whatever it would not take.
 */
final class FileTransfer {
    private static final int BLOCK = 64 * 1024;

    private FileTransfer() {}

    /**
     * Sends up to {@code length} bytes of the region.
     *
     * @return the bytes sent: fewer than {@code length} if the file ended sooner
     */
    static long send(FileRegion region, long length, SocketChannel client) throws IOException {
        long sent = 0;
        try {
            while (sent < length) {
                long n = region.file().transferTo(region.offset() + sent, length - sent, client);
                if (n <= 0) break;
                sent += n;
            }
        } catch (IOException e) {
            throw new ClientGoneException(e);
        }
        return sent < length ? sent + copy(region, sent, length, client) : sent;
    }

    /** Reads and writes from {@code sent} on: transferTo sent nothing more (a file it cannot map, a shrunk file). */
    static long copy(FileRegion region, long from, long length, SocketChannel client) throws IOException {
        ByteBuffer block = ByteBuffer.allocate((int) Math.min(BLOCK, length - from));
        long done = from;
        while (done < length) {
            block.clear().limit((int) Math.min(block.capacity(), length - done));
            int n = region.file().read(block, region.offset() + done);
            if (n < 0) break;
            block.flip();
            try {
                while (block.hasRemaining()) client.write(block);
            } catch (IOException e) {
                throw new ClientGoneException(e);
            }
            done += n;
        }
        return done - from;
    }
}
