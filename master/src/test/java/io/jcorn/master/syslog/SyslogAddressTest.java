package io.jcorn.master.syslog;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The addresses as Gunicorn's parse_syslog_address reads them. */
class SyslogAddressTest {
    private static SyslogAddress parse(String address) {
        return SyslogAddress.parse(address);
    }

    @Test
    void udpAndTcpWithAndWithoutPorts() {
        assertEquals(new SyslogAddress.Udp("localhost", 514), parse(SyslogAddress.DEFAULT));
        assertEquals(new SyslogAddress.Udp("loghost", 514), parse("udp://LogHost"));
        assertEquals(new SyslogAddress.Udp("localhost", 514), parse("udp://"));
        assertEquals(new SyslogAddress.Udp("localhost", 5514), parse("udp://:5514"));
        assertEquals(new SyslogAddress.Tcp("10.0.0.5", 601), parse("tcp://10.0.0.5:601"));
        assertEquals(new SyslogAddress.Udp("::1", 5514), parse("udp://[::1]:5514"));
        assertEquals(new SyslogAddress.Tcp("fe80::1", 514), parse("tcp://[FE80::1]"));
    }

    @Test
    void unixSocketsOfEitherKind() {
        assertEquals(new SyslogAddress.Unix("/dev/log", SyslogAddress.SocketType.EITHER), parse("unix:///dev/log"));
        assertEquals(new SyslogAddress.Unix("/dev/log", SyslogAddress.SocketType.DGRAM), parse("unix:///dev/log#dgram"));
        assertEquals(new SyslogAddress.Unix("/run/syslog.sock", SyslogAddress.SocketType.STREAM), parse("unix:///run/syslog.sock#stream"));
        assertEquals(new SyslogAddress.Unix("/dev/log", SyslogAddress.SocketType.EITHER), parse("unix:///dev/log#other"));
    }

    @Test
    void otherSchemesAndBadPortsAreRefused() {
        assertEquals("--syslog-addr http://h: invalid syslog address",
                assertThrows(IllegalArgumentException.class, () -> parse("http://h")).getMessage());
        assertEquals("--syslog-addr /dev/log: invalid syslog address",
                assertThrows(IllegalArgumentException.class, () -> parse("/dev/log")).getMessage());
        assertEquals("--syslog-addr udp://h:abc: 'abc' is not a valid port number",
                assertThrows(IllegalArgumentException.class, () -> parse("udp://h:abc")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> parse("udp://h:70000"));
        assertThrows(IllegalArgumentException.class, () -> parse("tcp://h:"));
    }

    @Test
    void addressesAreDescribedAsWritten() {
        for (String address : new String[] {"udp://localhost:514", "tcp://[::1]:601", "unix:///dev/log", "unix:///x#dgram"}) {
            assertEquals(address, SyslogSender.describe(parse(address)));
        }
    }
}
