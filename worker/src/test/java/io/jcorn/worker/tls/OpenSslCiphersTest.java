package io.jcorn.worker.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class OpenSslCiphersTest {
    private static final List<String> TLS13 = List.of("TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_AES_128_GCM_SHA256");
    /** Every suite of the table, as if the JDK had them all. */
    private static final List<String> ALL = java.util.stream.Stream.concat(TLS13.stream(),
            OpenSslCiphers.SUITES.stream().map(OpenSslCiphers.Suite::jdk)).toList();
    private static final Map<String, String> OPENSSL_NAME = OpenSslCiphers.SUITES.stream()
            .collect(Collectors.toMap(OpenSslCiphers.Suite::jdk, OpenSslCiphers.Suite::openssl));

    /** The TLS 1.2 part of a selection, by OpenSSL names, for comparing with what openssl prints. */
    private static List<String> tls12(String cipherString, List<String> available) {
        List<String> suites = OpenSslCiphers.select(cipherString, available).suites();
        return suites.stream().filter(s -> !TLS13.contains(s)).map(OPENSSL_NAME::get).toList();
    }

    private static List<String> tls12(String cipherString) {
        return tls12(cipherString, ALL);
    }

    @Test
    void theTableNamesSuitesTheJdkKnows() throws Exception {
        List<String> jdk = Arrays.asList(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
        for (OpenSslCiphers.Suite suite : OpenSslCiphers.SUITES) {
            // TLS_RSA_* key exchange suites are disabled in recent JDKs, and so may not be listed
            if (!suite.jdk().startsWith("TLS_RSA_")) assertTrue(jdk.contains(suite.jdk()), suite.jdk() + " for " + suite.openssl());
        }
    }

    @Test
    void aSuiteNameSelectsThatSuiteAfterTheTls13Ones() {
        OpenSslCiphers.Selection selection = OpenSslCiphers.select("ECDHE-RSA-AES128-GCM-SHA256", ALL);
        assertEquals(List.of("TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), selection.suites());
        assertEquals(List.of(), selection.unmatched());
    }

    @Test
    void namesAreKeptInTheOrderGiven() {
        assertEquals(List.of("ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384"),
                tls12("ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384"));
        assertEquals(List.of("ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384"),
                tls12("ECDHE-RSA-AES128-GCM-SHA256, ECDHE-ECDSA-AES256-GCM-SHA384"));
    }

    @Test
    void theJdksOwnNamesAreTakenToo() {
        assertEquals(List.of("ECDHE-RSA-AES128-GCM-SHA256"), tls12("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
    }

    @Test
    void aliasesCombineWithPlus() {
        assertEquals(List.of("ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES128-GCM-SHA256",
                "ECDHE-RSA-AES128-GCM-SHA256"), tls12("ECDHE+AESGCM"));
    }

    @Test
    void bangRemovesForGoodAndMinusUntilAddedAgain() {
        assertEquals(List.of(), tls12("ECDHE+AESGCM:!AES256:AES256+ECDHE+AESGCM:!AES128:ECDHE-RSA-CHACHA20-POLY1305")
                .stream().filter(s -> s.contains("AES")).toList());
        assertEquals(List.of("ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384"),
                tls12("ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:-ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384"));
    }

    @Test
    void plusPrefixMovesSelectedSuitesToTheEndWithoutAddingAny() {
        assertEquals(List.of("ECDHE-RSA-AES128-SHA"), tls12("ECDHE-RSA-AES128-SHA:+AES128-SHA"));
        assertEquals(List.of("ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-CHACHA20-POLY1305"),
                tls12("ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:+CHACHA20"));
    }

    @Test
    void atStrengthSortsByKeyLengthKeepingTheOrderWithinALength() {
        List<String> sorted = tls12("ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-SHA:@STRENGTH");
        assertEquals(List.of("ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-SHA"), sorted);
    }

    @Test
    void whatHasNoJdkEquivalentIsReportedAndLeftOut() {
        OpenSslCiphers.Selection selection = OpenSslCiphers.select(
                "@SECLEVEL=2:ECDHE-RSA-CAMELLIA128-SHA256:ECDHE-RSA-AES128-GCM-SHA256:FOO+AES:!aNULL:!eNULL:!MD5:!RC4:!3DES", ALL);
        assertEquals(List.of("@SECLEVEL=2", "ECDHE-RSA-CAMELLIA128-SHA256", "FOO"), selection.unmatched());
        assertEquals(List.of("ECDHE-RSA-AES128-GCM-SHA256"), tls12("ECDHE-RSA-CAMELLIA128-SHA256:ECDHE-RSA-AES128-GCM-SHA256"));
    }

    @Test
    void aSuiteTheJdkLacksIsReportedWhenNamedAndSkippedWhenAnAliasCoversIt() {
        List<String> withoutRsaKeyExchange = ALL.stream().filter(s -> !s.startsWith("TLS_RSA_")).toList();
        OpenSslCiphers.Selection selection = OpenSslCiphers.select("AES128-SHA:ECDHE-RSA-AES128-SHA", withoutRsaKeyExchange);
        assertEquals(List.of("AES128-SHA"), selection.unmatched());
        assertEquals(List.of(), tls12("kRSA:ECDHE-RSA-AES128-SHA", withoutRsaKeyExchange).stream().filter(s -> !s.startsWith("ECDHE")).toList());
    }

    @Test
    void tls13NamesAreAcceptedAndChangeNothing() {
        OpenSslCiphers.Selection selection = OpenSslCiphers.select("TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256", ALL);
        assertEquals(List.of(), selection.unmatched());
        assertEquals(TLS13, selection.suites().subList(0, 3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"FOO", "TLS_AES_128_GCM_SHA256", "!ALL", "eNULL", "ECDHE-RSA-CAMELLIA128-SHA256"})
    void aStringThatSelectsNoSuiteIsAnError(String cipherString) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpenSslCiphers.select(cipherString, ALL));
        assertTrue(e.getMessage().startsWith("--ciphers '" + cipherString + "' selects no TLS 1.2 cipher suite the JDK has"),
                e.getMessage());
    }

    /** The strings Gunicorn users write, against what openssl makes of them (its suites the JDK has, in its order). */
    @ParameterizedTest
    @ValueSource(strings = {"ALL", "DEFAULT", "HIGH:!aNULL:!MD5", "ECDHE+AESGCM", "EECDH+AESGCM:EDH+AESGCM",
            "ECDH+AESGCM:ECDH+CHACHA20:ECDH+AES:DHE+AES:!aNULL:!eNULL:!aDSS:!SHA1:!AESCCM", "kRSA", "RSA", "aRSA",
            "aECDSA", "TLSv1.2", "SSLv3", "TLSv1", "AES128", "AES256+EECDH:AES256+EDH", "SHA256", "SHA", "DHE",
            "CHACHA20:AESGCM:-ECDSA", "ALL:@STRENGTH", "ECDHE-RSA-AES128-SHA:+AES128-SHA", "ECDHE:!SHA1:!SHA256:!SHA384",
            "HIGH:!DHE:-AESGCM:AES128", "ALL:-ECDHE:ECDHE-RSA-AES128-SHA"})
    void opensslMakesTheSameOfIt(String cipherString) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        Process p = new ProcessBuilder("openssl", "ciphers", cipherString).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        List<String> known = OpenSslCiphers.SUITES.stream().map(OpenSslCiphers.Suite::openssl).toList();
        List<String> expected = Arrays.stream(out.split(":")).filter(known::contains).toList();
        assertEquals(expected, tls12(cipherString), cipherString);
    }
}
