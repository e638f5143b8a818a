package io.kedge.kubelet.certs;

import io.kedge.pki.CaCertHash;

/** The token and CA pin the agent was started with ({@code --token}, {@code --ca-cert-hash}); it joins again with them after expiry. */
public record BootstrapToken(String token, CaCertHash caCertHash) {
    public BootstrapToken {
        if (token == null || caCertHash == null) {
            throw new IllegalArgumentException("a bootstrap token needs both --token and --ca-cert-hash");
        }
    }

    @Override
    public String toString() {
        return "BootstrapToken[" + token.substring(0, Math.min(6, token.length())) + ".…, " + caCertHash + "]";
    }
}
