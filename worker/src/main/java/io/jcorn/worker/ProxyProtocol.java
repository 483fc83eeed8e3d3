package io.jcorn.worker;

import io.jcorn.protocol.http.ProxyHeader;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code --proxy-protocol} and {@code --proxy-allow-from}: which PROXY header versions a
 * connection starts with, and which peers may send one. A header from anyone else, or a
 * malformed one, closes the connection without an answer.
 */
record ProxyProtocol(ProxyHeader.Mode mode, boolean trustAll, Set<String> allowFrom) {
    static final ProxyProtocol OFF = new ProxyProtocol(ProxyHeader.Mode.OFF, false, Set.of());

    static ProxyProtocol parse(String mode, String allowFrom) {
        Set<String> ips = Stream.of(allowFrom.split(",")).map(s -> s.strip().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        return new ProxyProtocol(ProxyHeader.Mode.valueOf(mode.toUpperCase(Locale.ROOT)), ips.contains("*"), ips);
    }

    /** The client's address: from the PROXY header if there is one, else the peer's own. */
    SocketAddress client(InputStream in, SocketAddress peer) throws IOException {
        if (mode == ProxyHeader.Mode.OFF) return peer;
        if (peer instanceof InetSocketAddress inet && !trustAll && !allowFrom.contains(RequestEnviron.hostAddress(inet))) {
            throw new IOException("PROXY protocol from " + RequestEnviron.hostAddress(inet) + ", not in --proxy-allow-from");
        }
        InetSocketAddress client = ProxyHeader.read(in, mode);
        return client != null ? client : peer;
    }
}
