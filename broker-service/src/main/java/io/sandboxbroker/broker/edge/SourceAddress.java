package io.sandboxbroker.broker.edge;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Who sent a request, for per-address limits. {@code X-Forwarded-For} is believed only from a
 * trusted proxy, and then only as far back as the chain of trusted proxies goes: the first hop
 * from the right that is not a trusted proxy is the client. Anything a client wrote to the left of
 * that is ignored, so a client cannot choose its own key.
 */
public final class SourceAddress {
    private final List<Cidr> trustedProxies;

    public SourceAddress(List<Cidr> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    /**
     * @param socketAddress the peer of the TCP connection
     * @param forwardedFor  every {@code X-Forwarded-For} value in order (may be empty)
     */
    public String resolve(String socketAddress, List<String> forwardedFor) {
        Optional<InetAddress> peer = Cidr.literal(socketAddress);
        if (peer.isEmpty() || !trusted(peer.get())) {
            return socketAddress;
        }
        InetAddress client = peer.get();
        List<String> hops = forwardedFor.stream()
                .flatMap(value -> java.util.Arrays.stream(value.split(",")))
                .map(String::trim)
                .toList();
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = Cidr.literal(hops.get(i));
            if (hop.isEmpty()) {
                // A trusted proxy would not have written this: the nearest believable hop answers.
                break;
            }
            client = hop.get();
            if (!trusted(client)) {
                break;
            }
        }
        return client.getHostAddress();
    }

    private boolean trusted(InetAddress address) {
        for (Cidr range : trustedProxies) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
