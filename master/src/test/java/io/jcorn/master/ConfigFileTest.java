package io.jcorn.master;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConfigFileTest {

    private static Settings.Layer parse(String... lines) {
        return ConfigFile.parse("jcorn.conf", List.of(lines), Settings.spec());
    }

    private static String error(String... lines) {
        return assertThrows(Settings.Invalid.class, () -> parse(lines)).getMessage();
    }

    @Test
    void keysAreGunicornsSettingNamesWithDashesOrUnderscores() {
        Settings.Layer layer = parse("# a comment", "", "workers = 3", "worker-class=sync", "  log_file = /tmp/e.log  ",
                "! another comment", "app = com.example.Main");
        assertEquals(Map.of("workers", List.of("3"), "worker_class", List.of("sync"),
                "error_logfile", List.of("/tmp/e.log"), "app", List.of("com.example.Main")), layer.values());
        assertEquals("jcorn.conf:3", layer.origins().get("workers"));
        assertEquals("jcorn.conf:5", layer.origins().get("error_logfile"));
    }

    @Test
    void gunicornsSettingNamesWorkToo() {
        Settings.Layer layer = parse("errorlog = /tmp/e.log", "accesslog = -", "loglevel = debug", "raw_env = A=1",
                "wsgi_app = com.example.Main", "access_log_format = %(h)s");
        assertEquals(List.of("error_logfile", "access_logfile", "log_level", "env", "app", "access_logformat"),
                List.copyOf(layer.values().keySet()));
    }

    @Test
    void listsAreCommaSeparatedOrRepeatedKeys() {
        Settings.Layer layer = parse("bind = 127.0.0.1:0, unix:/tmp/a.sock", "bind = [::1]:0", "env = A=1", "env = B=2,3");
        assertEquals(List.of("127.0.0.1:0", "unix:/tmp/a.sock", "[::1]:0"), layer.values().get("bind"));
        assertEquals("jcorn.conf:1", layer.origins().get("bind"));
    }

    @Test
    void commasInASingleValueStay() {
        assertEquals(List.of("10.0.0.1,10.0.0.2"), parse("forwarded_allow_ips = 10.0.0.1,10.0.0.2").values().get("forwarded_allow_ips"));
    }

    @Test
    void flagsTakeTrueOrFalse() {
        assertEquals(List.of("true"), parse("casefold_http_method = true").values().get("casefold_http_method"));
        assertEquals("jcorn.conf:1: casefold_http_method wants true or false, not 'yes'", error("casefold_http_method = yes"));
    }

    @Test
    void errorsNameTheFileAndLine() {
        assertEquals("jcorn.conf:2: unknown setting 'wrkers'", error("workers = 2", "wrkers = 3"));
        assertEquals("jcorn.conf:1: want key = value, not 'workers 3'", error("workers 3"));
        assertEquals("jcorn.conf:3: 'workers' is already set on line 1", error("workers = 2", "", "workers = 3"));
        assertEquals("jcorn.conf:1: workers: Invalid value for option '--workers': 'three' is not an int",
                error("workers = three"));
        assertEquals("jcorn.conf:1: unknown setting 'config'", error("config = other.conf"));
    }

    @Test
    void jcornCmdArgsSplitsAsAShellWould() {
        assertEquals(List.of("--workers", "3", "--access-logformat", "%(h)s \"%(r)s\"", "-e", "A=b c"),
                Settings.words(" --workers 3  --access-logformat '%(h)s \"%(r)s\"' -e A=b\\ c"));
        assertThrows(IllegalArgumentException.class, () -> Settings.words("--bind 'x"));
    }
}
