package io.jcorn.worker.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A PEM file (RFC 7468) as OpenSSL writes and reads them: {@code -----BEGIN LABEL-----} blocks of
 * base64, with text allowed around them (openssl's "Bag Attributes", a bundle's comments) and the
 * RFC 1421 headers of a traditionally encrypted key ({@code Proc-Type: 4,ENCRYPTED}).
 */
final class PemFile {
    /** Larger than any certificate bundle; a file past it was named by mistake. */
    private static final long MAX_SIZE = 16 << 20;
    private static final String BEGIN = "-----BEGIN ", END = "-----END ", DASHES = "-----";

    /** One block: its label, its headers (usually none), its bytes, and the line it starts on. */
    record Block(String label, Map<String, String> headers, byte[] der, int line) {}

    private final String setting;
    private final Path path;
    private final List<Block> blocks;

    private PemFile(String setting, Path path, List<Block> blocks) {
        this.setting = setting;
        this.path = path;
        this.blocks = blocks;
    }

    /**
     * Reads {@code file}, named by {@code setting} ({@code --certfile}...) in any error.
     *
     * @throws TlsFileException if it is missing, unreadable, not PEM, or has a broken block
     */
    static PemFile read(String setting, Path file) throws TlsFileException {
        String text = new String(bytes(setting, file), StandardCharsets.ISO_8859_1);
        List<Block> blocks = new Parse(setting, file, text.split("\r?\n|\r", -1)).blocks();
        if (blocks.isEmpty()) throw new TlsFileException(setting, file, "not a PEM file (it has no '-----BEGIN' line)");
        return new PemFile(setting, file, blocks);
    }

    private static byte[] bytes(String setting, Path file) throws TlsFileException {
        try {
            if (Files.isDirectory(file)) throw new TlsFileException(setting, file, "is a directory, not a file");
            if (Files.size(file) > MAX_SIZE) throw new TlsFileException(setting, file, "is larger than 16 MiB: not a PEM file");
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TlsFileException(setting, file, "no such file");
        } catch (AccessDeniedException e) {
            throw new TlsFileException(setting, file, "permission denied");
        } catch (IOException e) {
            throw new TlsFileException(setting, file, "cannot be read: " + e.getMessage());
        }
    }

    String setting() {
        return setting;
    }

    Path path() {
        return path;
    }

    List<Block> blocks() {
        return blocks;
    }

    /** The blocks with {@code label}, in file order. */
    List<Block> blocks(String label) {
        return blocks.stream().filter(b -> b.label().equals(label)).toList();
    }

    /** An error about this file. */
    TlsFileException error(String reason) {
        return new TlsFileException(setting, path, reason);
    }

    /** The lines of one file, read into blocks. */
    private record Parse(String setting, Path file, String[] lines) {
        List<Block> blocks() throws TlsFileException {
            List<Block> blocks = new ArrayList<>();
            for (int i = 0; i < lines.length; i++) {
                String label = label(lines[i].strip(), BEGIN);
                if (label != null) {
                    int end = endOf(label, i);
                    blocks.add(block(label, i, end));
                    i = end;
                }
            }
            return blocks;
        }

        private int endOf(String label, int begin) throws TlsFileException {
            for (int j = begin + 1; j < lines.length; j++) {
                String line = lines[j].strip();
                if (line.startsWith(END)) {
                    if (label.equals(label(line, END))) return j;
                    break;
                }
                if (line.startsWith(BEGIN)) break;
            }
            throw new TlsFileException(setting, file, "the '" + label + "' block at line " + (begin + 1)
                    + " has no '-----END " + label + "-----' line");
        }

        private Block block(String label, int begin, int end) throws TlsFileException {
            Map<String, String> headers = new LinkedHashMap<>();
            StringBuilder base64 = new StringBuilder();
            int i = begin + 1;
            for (; i < end && lines[i].indexOf(':') > 0; i++) {
                String line = lines[i];
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
            for (; i < end; i++) base64.append(lines[i].strip());
            try {
                return new Block(label, headers, Base64.getDecoder().decode(base64.toString()), begin + 1);
            } catch (IllegalArgumentException e) {
                throw new TlsFileException(setting, file, "the '" + label + "' block at line " + (begin + 1)
                        + " is not valid base64");
            }
        }

        private static String label(String line, String prefix) {
            if (!line.startsWith(prefix) || !line.endsWith(DASHES) || line.length() < prefix.length() + DASHES.length()) return null;
            return line.substring(prefix.length(), line.length() - DASHES.length()).strip();
        }
    }
}
