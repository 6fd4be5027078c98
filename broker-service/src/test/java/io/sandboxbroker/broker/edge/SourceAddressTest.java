package io.sandboxbroker.broker.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SourceAddressTest {
    private final SourceAddress behindAlb =
            new SourceAddress(List.of(Cidr.parse("10.0.0.0/16"), Cidr.parse("fd00::/8")));

    @Test
    void untrustedPeer_forwardedForIgnored() {
        assertThat(behindAlb.resolve("203.0.113.9", List.of("198.51.100.1"))).isEqualTo("203.0.113.9");
        assertThat(new SourceAddress(List.of()).resolve("10.0.0.5", List.of("198.51.100.1")))
                .isEqualTo("10.0.0.5");
    }

    @Test
    void trustedPeer_rightmostUntrustedHopIsTheClient() {
        assertThat(behindAlb.resolve("10.0.1.2", List.of("198.51.100.1"))).isEqualTo("198.51.100.1");
        // What a client writes itself stands to the left of what the ALB appended: ignored.
        assertThat(behindAlb.resolve("10.0.1.2", List.of("1.2.3.4, 198.51.100.1")))
                .isEqualTo("198.51.100.1");
        assertThat(behindAlb.resolve("10.0.1.2", List.of("1.2.3.4", "198.51.100.1, 10.0.9.9")))
                .isEqualTo("198.51.100.1");
    }

    @Test
    void trustedPeer_garbageOrNoHeader_nearestBelievableHop() {
        assertThat(behindAlb.resolve("10.0.1.2", List.of())).isEqualTo("10.0.1.2");
        assertThat(behindAlb.resolve("10.0.1.2", List.of("not-an-ip"))).isEqualTo("10.0.1.2");
        assertThat(behindAlb.resolve("10.0.1.2", List.of("evil.example.com, 10.0.3.3")))
                .isEqualTo("10.0.3.3");
        assertThat(behindAlb.resolve("10.0.1.2", List.of("1.2.3.4, ,999.1.1.1")))
                .isEqualTo("10.0.1.2");
    }

    @Test
    void ipv6() {
        assertThat(behindAlb.resolve("fd00::1", List.of("2001:db8::7"))).isEqualTo("2001:db8:0:0:0:0:0:7");
        assertThat(Cidr.parse("2001:db8::/32")
                        .contains(Cidr.literal("2001:db8:ffff::1").orElseThrow()))
                .isTrue();
        assertThat(Cidr.parse("2001:db8::/32").contains(Cidr.literal("10.0.0.1").orElseThrow()))
                .isFalse();
    }

    @Test
    void cidr_prefixesThatDoNotEndOnAByte() {
        Cidr range = Cidr.parse("172.16.0.0/12");
        assertThat(range.contains(Cidr.literal("172.31.255.255").orElseThrow())).isTrue();
        assertThat(range.contains(Cidr.literal("172.32.0.0").orElseThrow())).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(Cidr.literal("8.8.8.8").orElseThrow()))
                .isTrue();
        assertThat(Cidr.parse("192.0.2.7").contains(Cidr.literal("192.0.2.7").orElseThrow()))
                .isTrue();
    }

    @Test
    void literal_neverLooksUpANameAndRejectsNonsense() {
        assertThat(Cidr.literal("localhost")).isEmpty();
        assertThat(Cidr.literal("example.com")).isEmpty();
        assertThat(Cidr.literal("1.2.3")).isEmpty();
        assertThat(Cidr.literal("300.1.1.1")).isEmpty();
        assertThat(Cidr.literal("[::1]")).isPresent();
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("ten/8")).isInstanceOf(IllegalArgumentException.class);
    }
}
