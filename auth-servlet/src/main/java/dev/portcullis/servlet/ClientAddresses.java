package dev.portcullis.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The client address used for throttling and audit: the connection's peer, or — only when that
 * peer is a configured trusted proxy — the rightmost address in the configured header that is
 * not itself a trusted proxy. Believing a forwarding header from anyone would let an attacker
 * pick a fresh "address" for every guess.
 */
final class ClientAddresses {

    private static final Pattern IP_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private final List<Block> trusted;
    private final Optional<String> header;
    private volatile Verdict lastPeer;

    ClientAddresses(List<String> trustedProxies, Optional<String> header) {
        this.trusted = trustedProxies.stream().map(ClientAddresses::parseBlock).toList();
        this.header = header;
    }

    String resolve(HttpServletRequest request) {
        String peer = request.getRemoteAddr();
        if (header.isEmpty() || !isTrusted(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String value : Collections.list(request.getHeaders(header.get()))) {
            for (String part : value.split(",")) {
                hops.add(part.strip());
            }
        }
        String candidate = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<byte[]> address = parseLiteral(strip(hops.get(i)));
            if (address.isEmpty()) {
                return candidate; // garbage from further left cannot be trusted
            }
            candidate = strip(hops.get(i));
            if (!isTrusted(address.get())) {
                return candidate;
            }
        }
        return candidate;
    }

    /** Whether the connection's peer is one of the trusted proxies. */
    boolean peerIsTrustedProxy(HttpServletRequest request) {
        return !trusted.isEmpty() && isTrusted(request.getRemoteAddr());
    }

    private boolean isTrusted(String address) {
        if (address == null) {
            return false;
        }
        // Every request asks about its peer, twice (scheme, then client address), and behind a
        // proxy the peer is nearly always the same: remember the last answer.
        Verdict last = lastPeer;
        if (last != null && last.address().equals(address)) {
            return last.trusted();
        }
        boolean trustedPeer = parseLiteral(address).map(this::isTrusted).orElse(false);
        lastPeer = new Verdict(address, trustedPeer);
        return trustedPeer;
    }

    /** Whether {@code address} is a trusted proxy; immutable, so a racing replacement is harmless. */
    private record Verdict(String address, boolean trusted) {
    }

    private boolean isTrusted(byte[] address) {
        for (Block b : trusted) { // runs on every request: no stream
            if (b.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static String strip(String hop) {
        return hop.startsWith("[") && hop.endsWith("]") ? hop.substring(1, hop.length() - 1) : hop;
    }

    /** An IP literal's bytes; never a DNS lookup (anything not made of address characters is refused first). */
    static Optional<byte[]> parseLiteral(String text) {
        // Only a dotted quad or an IPv6 literal (it has a colon) reaches InetAddress: a hostname made
        // of hex letters ("cafe.de") or a legacy form ("1.2") would otherwise mean a DNS lookup on
        // header text, or a surprising address.
        if (text == null) {
            return Optional.empty();
        }
        if (text.indexOf(':') < 0) {
            // The peer of every request is parsed here: a dotted quad without regexes or InetAddress.
            return Optional.ofNullable(dottedQuad(text));
        }
        if (!IP_CHARS.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text).getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /**
     * The four bytes of a dotted quad, or null: exactly the dotted quads of RFC 3986 {@code IPv4address} (each part
     * 0..255 in decimal, no leading zero), so "1.2", "01.2.3.4" and "1.2.3.256" are refused.
     */
    static byte[] dottedQuad(String text) {
        int n = text.length();
        if (n < 7 || n > 15) {
            return null;
        }
        byte[] out = new byte[4];
        int part = 0;
        int i = 0;
        while (part < 4) {
            int start = i;
            int value = 0;
            while (i < n && i - start < 3 && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                value = value * 10 + (text.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && text.charAt(start) == '0')) {
                return null;
            }
            out[part++] = (byte) value;
            if (part < 4) {
                if (i >= n || text.charAt(i) != '.') {
                    return null;
                }
                i++;
            }
        }
        return i == n ? out : null;
    }

    static Block parseBlock(String spec) {
        String s = spec.strip();
        int slash = s.indexOf('/');
        String ip = slash < 0 ? s : s.substring(0, slash);
        byte[] network = parseLiteral(ip)
                .orElseThrow(() -> new IllegalArgumentException("not an IP address or CIDR block: " + spec));
        int bits = network.length * 8;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in " + spec);
            }
            if (bits < 0 || bits > network.length * 8) {
                throw new IllegalArgumentException("bad prefix length in " + spec);
            }
        }
        return new Block(network, bits);
    }

    record Block(byte[] network, int bits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }
}
