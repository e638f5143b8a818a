package io.kedge.netproxy.iptables;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The names of kedge's own chains; per-Service chains are named by a hash, as iptables allows 28 characters. */
public final class Chains {
    /** Every chain kedge creates starts with this; nothing else in a table does. */
    public static final String PREFIX = "KEDGE-";
    /** nat: the entry point from PREROUTING and OUTPUT; filter: rejects Services without endpoints. */
    public static final String SERVICES = "KEDGE-SERVICES";
    public static final String NODEPORTS = "KEDGE-NODEPORTS";
    public static final String MARK_MASQ = "KEDGE-MARK-MASQ";
    public static final String POSTROUTING = "KEDGE-POSTROUTING";
    /**
     * The packet mark of Service traffic, to be masqueraded on the way out; a bit neither
     * kube-proxy (0x4000, 0x8000) nor the CNI portmap plugin (0x2000) uses.
     */
    public static final String MASQ_MARK = "0x40000";

    private Chains() {
    }

    static String service(ProxiedPort p) {
        return PREFIX + "SVC-" + hash(p.namespace() + "/" + p.name() + ":" + p.portName() + "/" + p.protocol());
    }

    static String endpoint(ProxiedPort p, Endpoint e) {
        return PREFIX + "SEP-" + hash(p.namespace() + "/" + p.name() + ":" + p.portName() + "/" + p.protocol() + "/" + e);
    }

    private static String hash(String s) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().withUpperCase().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
