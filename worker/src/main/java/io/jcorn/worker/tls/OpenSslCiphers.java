package io.jcorn.worker.tls;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code --ciphers}: Gunicorn hands the value to OpenSSL ({@code SSL_CTX_set_cipher_list}), so
 * users write OpenSSL cipher strings ({@code ECDHE+AESGCM:!aNULL}, {@code HIGH:!MD5},
 * {@code ECDHE-RSA-AES128-GCM-SHA256}). This reads them as OpenSSL 3 does (its names and aliases,
 * {@code +} to combine, the {@code !}, {@code -} and {@code +} prefixes, {@code @STRENGTH}), over
 * the TLS 1.2 suites the JDK has, and gives the JDK's names in OpenSSL's order.
 *
 * <p>As with Gunicorn, the string does not choose TLS 1.3 suites: the JDK's all stay enabled. What
 * has no JDK equivalent (CAMELLIA, ARIA, CCM, PSK suites, {@code @SECLEVEL}, a misspelt name) is
 * left out and reported; OpenSSL leaves unknown words out silently. A string that selects no
 * suite at all is an error, as in OpenSSL ("No cipher can be selected"). The JDK's own names
 * ({@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}) are taken too.
 */
final class OpenSslCiphers {

    /** A TLS 1.2 suite by its OpenSSL name, its JDK (IANA) name and the attributes aliases select by. */
    record Suite(String openssl, String jdk, int bits, Set<String> aliases) {}

    /** What a cipher string came to: JDK suite names in order, and the words that matched nothing in the JDK. */
    record Selection(List<String> suites, List<String> unmatched) {}

    private static final List<String> TLS13 = List.of("TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_AES_128_GCM_SHA256");

    /** The suites in OpenSSL 3's default order ({@code openssl ciphers -v ALL}), those the JDK has or had. */
    static final List<Suite> SUITES = List.of(
            suite("ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE", "ECDSA", "AESGCM", 256, "AEAD", "TLSv1.2"),
            suite("ECDHE-RSA-AES256-GCM-SHA384", "ECDHE", "RSA", "AESGCM", 256, "AEAD", "TLSv1.2"),
            suite("DHE-DSS-AES256-GCM-SHA384", "DHE", "DSS", "AESGCM", 256, "AEAD", "TLSv1.2"),
            suite("DHE-RSA-AES256-GCM-SHA384", "DHE", "RSA", "AESGCM", 256, "AEAD", "TLSv1.2"),
            suite("ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE", "ECDSA", "CHACHA20", 256, "AEAD", "TLSv1.2"),
            suite("ECDHE-RSA-CHACHA20-POLY1305", "ECDHE", "RSA", "CHACHA20", 256, "AEAD", "TLSv1.2"),
            suite("DHE-RSA-CHACHA20-POLY1305", "DHE", "RSA", "CHACHA20", 256, "AEAD", "TLSv1.2"),
            suite("ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE", "ECDSA", "AESGCM", 128, "AEAD", "TLSv1.2"),
            suite("ECDHE-RSA-AES128-GCM-SHA256", "ECDHE", "RSA", "AESGCM", 128, "AEAD", "TLSv1.2"),
            suite("DHE-DSS-AES128-GCM-SHA256", "DHE", "DSS", "AESGCM", 128, "AEAD", "TLSv1.2"),
            suite("DHE-RSA-AES128-GCM-SHA256", "DHE", "RSA", "AESGCM", 128, "AEAD", "TLSv1.2"),
            suite("ECDHE-ECDSA-AES256-SHA384", "ECDHE", "ECDSA", "AES", 256, "SHA384", "TLSv1.2"),
            suite("ECDHE-RSA-AES256-SHA384", "ECDHE", "RSA", "AES", 256, "SHA384", "TLSv1.2"),
            suite("DHE-RSA-AES256-SHA256", "DHE", "RSA", "AES", 256, "SHA256", "TLSv1.2"),
            suite("DHE-DSS-AES256-SHA256", "DHE", "DSS", "AES", 256, "SHA256", "TLSv1.2"),
            suite("ECDHE-ECDSA-AES128-SHA256", "ECDHE", "ECDSA", "AES", 128, "SHA256", "TLSv1.2"),
            suite("ECDHE-RSA-AES128-SHA256", "ECDHE", "RSA", "AES", 128, "SHA256", "TLSv1.2"),
            suite("DHE-RSA-AES128-SHA256", "DHE", "RSA", "AES", 128, "SHA256", "TLSv1.2"),
            suite("DHE-DSS-AES128-SHA256", "DHE", "DSS", "AES", 128, "SHA256", "TLSv1.2"),
            suite("ECDHE-ECDSA-AES256-SHA", "ECDHE", "ECDSA", "AES", 256, "SHA1", "TLSv1"),
            suite("ECDHE-RSA-AES256-SHA", "ECDHE", "RSA", "AES", 256, "SHA1", "TLSv1"),
            suite("DHE-RSA-AES256-SHA", "DHE", "RSA", "AES", 256, "SHA1", "SSLv3"),
            suite("DHE-DSS-AES256-SHA", "DHE", "DSS", "AES", 256, "SHA1", "SSLv3"),
            suite("ECDHE-ECDSA-AES128-SHA", "ECDHE", "ECDSA", "AES", 128, "SHA1", "TLSv1"),
            suite("ECDHE-RSA-AES128-SHA", "ECDHE", "RSA", "AES", 128, "SHA1", "TLSv1"),
            suite("DHE-RSA-AES128-SHA", "DHE", "RSA", "AES", 128, "SHA1", "SSLv3"),
            suite("DHE-DSS-AES128-SHA", "DHE", "DSS", "AES", 128, "SHA1", "SSLv3"),
            suite("AES256-GCM-SHA384", "RSA", "RSA", "AESGCM", 256, "AEAD", "TLSv1.2"),
            suite("AES128-GCM-SHA256", "RSA", "RSA", "AESGCM", 128, "AEAD", "TLSv1.2"),
            suite("AES256-SHA256", "RSA", "RSA", "AES", 256, "SHA256", "TLSv1.2"),
            suite("AES128-SHA256", "RSA", "RSA", "AES", 128, "SHA256", "TLSv1.2"),
            suite("AES256-SHA", "RSA", "RSA", "AES", 256, "SHA1", "SSLv3"),
            suite("AES128-SHA", "RSA", "RSA", "AES", 128, "SHA1", "SSLv3"));

    /** OpenSSL aliases that no suite the JDK has belongs to: excluding them changes nothing, naming them is no mistake. */
    private static final Set<String> EMPTY_ALIASES = Set.of("aNULL", "eNULL", "NULL", "ADH", "AECDH", "MD5", "RC4",
            "DES", "3DES", "IDEA", "SEED", "CAMELLIA", "CAMELLIA128", "CAMELLIA256", "ARIA", "ARIA128", "ARIA256",
            "ARIAGCM", "AESCCM", "AESCCM8", "CCM", "PSK", "kPSK", "aPSK", "kECDHEPSK", "kDHEPSK", "kRSAPSK", "SRP",
            "kSRP", "aSRP", "LOW", "MEDIUM", "EXP", "EXPORT", "COMPLEMENTOFALL", "aGOST", "kGOST", "GOST89MAC",
            "aGOST01", "kGOST18", "CHACHA20-POLY1305-PSK", "SUITEB128", "SUITEB128ONLY", "SUITEB192", "SSLv2", "kECDH",
            "kECDHr", "kECDHe", "kDHr", "kDHd", "aECDH", "aDH", "KRB5", "kKRB5", "aKRB5", "FZA", "eFZA", "kFZA", "aFZA");

    private OpenSslCiphers() {}

    private static Suite suite(String openssl, String kx, String au, String enc, int bits, String mac, String version) {
        Set<String> aliases = new LinkedHashSet<>(List.of("ALL", "HIGH", version));
        switch (kx) {
            case "ECDHE" -> aliases.addAll(List.of("kECDHE", "kEECDH", "ECDHE", "EECDH", "ECDH"));
            case "DHE" -> aliases.addAll(List.of("kDHE", "kEDH", "DHE", "EDH", "DH"));
            default -> aliases.addAll(List.of("kRSA", "RSA"));
        }
        switch (au) {
            case "ECDSA" -> aliases.addAll(List.of("aECDSA", "ECDSA"));
            case "DSS" -> aliases.addAll(List.of("aDSS", "DSS", "COMPLEMENTOFDEFAULT"));
            default -> aliases.add("aRSA");
        }
        if (!au.equals("DSS")) aliases.add("DEFAULT");
        aliases.add(enc);
        if (!enc.equals("CHACHA20")) aliases.addAll(List.of("AES", "AES" + bits));
        switch (mac) {
            case "SHA1" -> aliases.addAll(List.of("SHA1", "SHA"));
            case "AEAD" -> { }
            default -> aliases.add(mac);
        }
        if (version.equals("TLSv1")) aliases.add("TLSv1.0");
        return new Suite(openssl, jdkName(kx, au, openssl, bits, mac), bits, Set.copyOf(aliases));
    }

    /** The IANA name the JDK uses: TLS_{kx}_{au}_WITH_{cipher}_{mac}. */
    private static String jdkName(String kx, String au, String openssl, int bits, String mac) {
        String exchange = kx.equals("RSA") ? "RSA" : kx + "_" + au;
        String cipher = openssl.contains("CHACHA20") ? "CHACHA20_POLY1305"
                : openssl.contains("GCM") ? "AES_" + bits + "_GCM" : "AES_" + bits + "_CBC";
        String digest = switch (mac) {
            case "SHA1" -> "SHA";
            case "AEAD" -> openssl.contains("CHACHA20") ? "SHA256" : openssl.substring(openssl.lastIndexOf('-') + 1);
            default -> mac;
        };
        return "TLS_" + exchange + "_WITH_" + cipher + "_" + digest;
    }

    /**
     * The JDK suites {@code cipherString} selects among {@code available} (the engine's supported
     * suites): the JDK's TLS 1.3 suites first, then the TLS 1.2 ones in the string's order.
     *
     * @throws IllegalArgumentException if it selects no TLS 1.2 suite
     */
    static Selection select(String cipherString, Collection<String> available) {
        Rules rules = new Rules(available);
        for (String element : cipherString.split("[:, ;]+")) {
            if (!element.isEmpty()) rules.apply(element);
        }
        List<String> chosen = rules.active();
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("--ciphers '" + cipherString + "' selects no TLS 1.2 cipher suite the JDK has"
                    + (rules.unmatched.isEmpty() ? "" : " (no JDK equivalent: " + String.join(", ", rules.unmatched) + ")"));
        }
        List<String> suites = new ArrayList<>(TLS13.stream().filter(available::contains).toList());
        suites.addAll(chosen);
        return new Selection(List.copyOf(suites), List.copyOf(rules.unmatched));
    }

    /** OpenSSL's rule list: every suite in order, each active or not; '!' takes a suite out for good. */
    private static final class Rules {
        private final List<Suite> order = new ArrayList<>();
        private final Set<Suite> active = new LinkedHashSet<>();
        private final Set<String> available;
        private final List<String> unmatched = new ArrayList<>();

        Rules(Collection<String> available) {
            this.available = Set.copyOf(available);
            order.addAll(SUITES);
        }

        void apply(String element) {
            if (element.startsWith("@")) {
                special(element);
                return;
            }
            char op = element.charAt(0);
            String terms = op == '!' || op == '-' || op == '+' ? element.substring(1) : element;
            if (terms.isEmpty()) {
                unmatched.add(element);
                return;
            }
            Set<Suite> matching = matching(terms);
            if (matching == null) return;
            switch (op) {
                case '!' -> {
                    order.removeAll(matching);
                    active.removeAll(matching);
                }
                case '-' -> deactivate(matching);
                case '+' -> moveToEnd(matching.stream().filter(active::contains).toList());
                default -> activate(matching);
            }
        }

        /** The suites all terms of {@code A+B+C} select; null if one is unknown (OpenSSL then skips the element). */
        private Set<Suite> matching(String terms) {
            Set<Suite> matching = null;
            for (String term : terms.split("\\+")) {
                Set<Suite> selected = term(term);
                if (selected == null) {
                    unmatched.add(term);
                    return null;
                }
                if (matching == null) matching = selected;
                else matching.retainAll(selected);
            }
            return matching == null ? Set.of() : matching;
        }

        /** The suites one name or alias selects; null if it is neither. */
        private Set<Suite> term(String term) {
            if (TLS13.contains(term)) return new LinkedHashSet<>(); // always enabled, as with OpenSSL's cipher lists
            for (Suite suite : SUITES) {
                if (suite.openssl().equals(term) || suite.jdk().equals(term)) {
                    return available.contains(suite.jdk()) ? new LinkedHashSet<>(Set.of(suite)) : null;
                }
            }
            Set<Suite> selected = new LinkedHashSet<>();
            for (Suite suite : SUITES) if (suite.aliases().contains(term)) selected.add(suite);
            if (!selected.isEmpty() || EMPTY_ALIASES.contains(term)) return selected;
            return null;
        }

        private void activate(Set<Suite> matching) {
            List<Suite> added = order.stream().filter(s -> matching.contains(s) && !active.contains(s)).toList();
            moveToEnd(added);
            active.addAll(added);
        }

        // OpenSSL puts suites taken out with '-' at the front: a later add brings them back first.
        private void deactivate(Set<Suite> matching) {
            List<Suite> removed = order.stream().filter(s -> matching.contains(s) && active.contains(s)).toList();
            order.removeAll(removed);
            order.addAll(0, removed);
            active.removeAll(removed);
        }

        private void moveToEnd(List<Suite> suites) {
            order.removeAll(suites);
            order.addAll(suites);
        }

        private void special(String element) {
            if (element.equals("@STRENGTH")) {
                order.sort(Comparator.comparingInt(Suite::bits).reversed());
            } else {
                unmatched.add(element); // @SECLEVEL=n: the JDK's own security properties decide
            }
        }

        List<String> active() {
            return order.stream().filter(active::contains).map(Suite::jdk).filter(available::contains).toList();
        }
    }
}
