package io.jcorn.protocol;

import java.nio.channels.FileChannel;

/**
 * {@code jcorn.file_wrapper} in the environ: jcorn's counterpart of PEP 3333's
 * {@code wsgi.file_wrapper}. An app that serves a file returns what this makes as its body:
 *
 * <pre>{@code
 * FileWrapper wrapper = (FileWrapper) environ.get(Environ.FILE_WRAPPER);
 * FileChannel file = FileChannel.open(path);
 * startResponse.start("200 OK", List.of(Map.entry("Content-Type", "application/pdf")));
 * return wrapper.wrap(file);
 * }</pre>
 *
 * The worker then sends the file with sendfile and closes it; see {@link FileRegion}.
 */
@FunctionalInterface
public interface FileWrapper {

    /** The region of {@code file} from {@code offset}, {@code length} bytes long (negative: to the end). */
    FileRegion wrap(FileChannel file, long offset, long length);

    /** The whole file. */
    default FileRegion wrap(FileChannel file) {
        return wrap(file, 0, -1);
    }
}
