package io.kedge.hub;

import io.kedge.pki.IssuedCertificate;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * Where the node's pods reach the hub as {@code kubernetes.default}: an HTTPS listener whose
 * address the hub also puts in the {@code default/kubernetes} EndpointSlice it serves the node.
 *
 * @param address  where to listen; the node's Service proxy sends the Service's ClusterIP:443 here
 * @param identity the serving certificate, asked for at each new connection so that a rotated one is used from then on;
 *                 it must name {@code kubernetes.default.svc} and the addresses pods dial, and chain to the cluster CA
 */
public record PodEndpoint(InetSocketAddress address, Supplier<IssuedCertificate> identity) {
    public static final String DEFAULT_HOST = "169.254.20.10";
    public static final int DEFAULT_PORT = 10268;

    public PodEndpoint {
        if (address == null || identity == null) {
            throw new IllegalArgumentException("the pods' endpoint needs an address and a serving certificate");
        }
    }

    /** {@code HOST:PORT}, as the agent's {@code --hub-pod-address} takes it. */
    public static InetSocketAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("hub pod address \"" + text + "\" is not HOST:PORT (for example "
                    + DEFAULT_HOST + ":" + DEFAULT_PORT + ")");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("hub pod address \"" + text + "\": the port is not a number");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("hub pod address \"" + text + "\": port " + port + " is not 1 to 65535");
        }
        return new InetSocketAddress(text.substring(0, colon).replaceAll("^\\[|\\]$", ""), port);
    }
}
