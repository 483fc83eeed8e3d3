package io.jcorn.worker.tls;

import java.nio.file.Path;

/**
 * A certificate or key file that cannot be used, as one line: the setting, the file and the
 * reason ({@code --keyfile /etc/app/key.pem: the key is encrypted; ...}). No stack trace: the
 * operator fixes a file, not the code.
 */
public final class TlsFileException extends Exception {
    private final String setting;
    private final Path file;
    private final String reason;

    public TlsFileException(String setting, Path file, String reason) {
        super(setting + " " + file + ": " + reason, null, false, false);
        this.setting = setting;
        this.file = file;
        this.reason = reason;
    }

    /** The setting that names the file: {@code --certfile}, {@code --keyfile} or {@code --ca-certs}. */
    public String setting() {
        return setting;
    }

    public Path file() {
        return file;
    }

    /** Why it cannot be used, without the setting and the file. */
    public String reason() {
        return reason;
    }
}
