package io.jcorn.worker.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class PemFileTest {
    @TempDir
    Path dir;

    private Path file(String text) throws Exception {
        return Files.writeString(dir.resolve("f.pem"), text);
    }

    private TlsFileException refused(Path file) {
        return assertThrows(TlsFileException.class, () -> PemFile.read("--certfile", file));
    }

    @Test
    void blocksAreReadWithTheTextAroundThemPassedOver() throws Exception {
        PemFile pem = PemFile.read("--certfile", file("""
                Bag Attributes
                    friendlyName: server
                subject=CN = localhost
                -----BEGIN CERTIFICATE-----
                AQID
                BA==
                -----END CERTIFICATE-----
                # a comment in a bundle
                -----BEGIN PRIVATE KEY-----
                BQY=
                -----END PRIVATE KEY-----
                """));
        assertEquals(List.of("CERTIFICATE", "PRIVATE KEY"), pem.blocks().stream().map(PemFile.Block::label).toList());
        assertArrayEquals(new byte[] {1, 2, 3, 4}, pem.blocks("CERTIFICATE").getFirst().der());
        assertEquals(4, pem.blocks().getFirst().line());
        assertArrayEquals(new byte[] {5, 6}, pem.blocks("PRIVATE KEY").getFirst().der());
    }

    @Test
    void windowsLineEndingsAndIndentedLinesAreRead() throws Exception {
        PemFile pem = PemFile.read("--certfile", file("-----BEGIN CERTIFICATE-----\r\n  AQID\r\n-----END CERTIFICATE-----\r\n"));
        assertArrayEquals(new byte[] {1, 2, 3}, pem.blocks().getFirst().der());
    }

    @Test
    void theHeadersOfATraditionallyEncryptedKeyAreKept() throws Exception {
        PemFile pem = PemFile.read("--keyfile", file("""
                -----BEGIN RSA PRIVATE KEY-----
                Proc-Type: 4,ENCRYPTED
                DEK-Info: AES-256-CBC,0123456789ABCDEF0123456789ABCDEF

                AQID
                -----END RSA PRIVATE KEY-----
                """));
        assertEquals(Map.of("Proc-Type", "4,ENCRYPTED", "DEK-Info", "AES-256-CBC,0123456789ABCDEF0123456789ABCDEF"),
                pem.blocks().getFirst().headers());
        assertArrayEquals(new byte[] {1, 2, 3}, pem.blocks().getFirst().der());
    }

    @Test
    void aMissingFileIsNamedWithItsSetting() {
        Path missing = dir.resolve("missing.pem");
        TlsFileException e = refused(missing);
        assertEquals("--certfile " + missing + ": no such file", e.getMessage());
        assertEquals("--certfile", e.setting());
        assertEquals(missing, e.file());
    }

    @Test
    void aDirectoryIsRefused() {
        assertEquals("is a directory, not a file", refused(dir).reason());
    }

    @Test
    void anUnreadableFileIsRefused() throws Exception {
        assumeFalse(System.getProperty("user.name").equals("root"), "root reads any file");
        Path file = file("-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        assertEquals("permission denied", refused(file).reason());
    }

    @Test
    void aFileWithoutPemBlocksIsNotPem() throws Exception {
        assertEquals("not a PEM file (it has no '-----BEGIN' line)", refused(file("\u0030\u0082\u0001binary DER")).reason());
        assertEquals("not a PEM file (it has no '-----BEGIN' line)", refused(file("")).reason());
    }

    @Test
    void aBlockWithoutItsEndIsRefusedWithItsLine() throws Exception {
        assertEquals("the 'CERTIFICATE' block at line 2 has no '-----END CERTIFICATE-----' line",
                refused(file("\n-----BEGIN CERTIFICATE-----\nAQID\n")).reason());
        assertEquals("the 'CERTIFICATE' block at line 1 has no '-----END CERTIFICATE-----' line",
                refused(file("-----BEGIN CERTIFICATE-----\nAQID\n-----END PRIVATE KEY-----\n")).reason());
        assertEquals("the 'CERTIFICATE' block at line 1 has no '-----END CERTIFICATE-----' line",
                refused(file("-----BEGIN CERTIFICATE-----\nAQID\n-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n")).reason());
    }

    @Test
    void aBlockThatIsNotBase64IsRefused() throws Exception {
        assertEquals("the 'CERTIFICATE' block at line 1 is not valid base64",
                refused(file("-----BEGIN CERTIFICATE-----\nAQ*D\n-----END CERTIFICATE-----\n")).reason());
    }
}
