package dev.portcullis.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ClientAddressesTest {

    /** The rule the hand-written parser replaced (RFC 3986 IPv4address), kept here as the reference. */
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private static Optional<byte[]> reference(String text) throws Exception {
        return IPV4.matcher(text).matches() ? Optional.of(InetAddress.getByName(text).getAddress()) : Optional.empty();
    }

    @Test
    void dottedQuadsAreParsedExactlyAsTheRegexAndInetAddressDid() throws Exception {
        String[] parts = {"", "0", "00", "01", "007", "1", "9", "10", "99", "100", "199", "200", "249", "250", "255",
                "256", "260", "300", "999", "1000", "a", "1a", " 1", "-1", "+1"};
        List<String> inputs = new ArrayList<>(List.of("1.2", "1.2.3", "1.2.3.4.5", "1.2.3.4.", ".1.2.3.4", "1..2.3",
                "127.0.0.1 ", "\u0661.2.3.4", "1.2.3.4\n", "", "...", "255.255.255.255", "0.0.0.0"));
        for (String a : parts) {
            for (String b : parts) {
                for (String c : new String[] {"0", "1", "255", "256", "01", ""}) {
                    for (String d : parts) {
                        inputs.add(a + "." + b + "." + c + "." + d);
                    }
                }
            }
        }
        int accepted = 0;
        for (String input : inputs) {
            Optional<byte[]> expected = reference(input);
            Optional<byte[]> actual = ClientAddresses.parseLiteral(input);
            assertThat(actual.isPresent()).as("accepts %s", input).isEqualTo(expected.isPresent());
            if (expected.isPresent()) {
                accepted++;
                assertThat(actual.get()).as("bytes of %s", input).isEqualTo(expected.get());
            }
        }
        assertThat(accepted).as("the cases include valid addresses").isGreaterThan(1000);
    }

    @Test
    void parsedAddressesMatchTheirBlocks() {
        assertThat(ClientAddresses.parseBlock("10.0.0.0/8").contains(ClientAddresses.dottedQuad("10.200.3.4"))).isTrue();
        assertThat(ClientAddresses.parseBlock("10.0.0.0/8").contains(ClientAddresses.dottedQuad("11.0.0.1"))).isFalse();
        assertThat(ClientAddresses.parseBlock("::1").contains(ClientAddresses.parseLiteral("0:0:0:0:0:0:0:1").orElseThrow()))
                .isTrue();
    }

    @Test
    void peersThatAlternateGetTheirOwnAnswersEveryTime() {
        // The last peer's answer is remembered: a different peer must never inherit it.
        ClientAddresses addresses = new ClientAddresses(List.of("127.0.0.1", "2001:db8::/32"), Optional.of("X-Forwarded-For"));
        String[] peers = {"127.0.0.1", "203.0.113.9", "127.0.0.1", "127.0.0.1", "2001:db8::7", "2001:db9::7", "garbage",
                "127.0.0.2", "127.0.0.1"};
        boolean[] trusted = {true, false, true, true, true, false, false, false, true};
        for (int i = 0; i < peers.length; i++) {
            assertThat(addresses.peerIsTrustedProxy(request(peers[i]))).as("peer %s", peers[i]).isEqualTo(trusted[i]);
        }
    }

    /** A request that answers only its peer address and, for the forwarding header, nothing. */
    private static jakarta.servlet.http.HttpServletRequest request(String peer) {
        return (jakarta.servlet.http.HttpServletRequest) java.lang.reflect.Proxy.newProxyInstance(
                ClientAddressesTest.class.getClassLoader(), new Class<?>[] {jakarta.servlet.http.HttpServletRequest.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getRemoteAddr" -> peer;
                    case "getHeaders" -> java.util.Collections.emptyEnumeration();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
