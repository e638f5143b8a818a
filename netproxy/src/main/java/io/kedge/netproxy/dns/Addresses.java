package io.kedge.netproxy.dns;

import io.netty.util.NetUtil;

/** IP literals as the DNS needs them: one spelling per address, and the dashed and reversed forms of names. */
final class Addresses {
    private Addresses() {}

    /** The address's canonical text (IPv6 compressed and lower case), or the input when it is not an IP literal. */
    static String canonical(String ip) {
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(ip);
        return bytes == null ? ip : NetUtil.bytesToIpAddress(bytes);
    }

    /** The bytes of an IP literal, or null. */
    static byte[] bytes(String ip) {
        return ip == null ? null : NetUtil.createByteArrayFromIpAddressString(ip);
    }

    /** {@code 10-42-0-5} -> 10.42.0.5, {@code fd00--5} -> fd00::5 (the label of a pod record); null when no address. */
    static byte[] fromDashed(String label) {
        if (label.indexOf('.') >= 0 || label.indexOf(':') >= 0) {
            return null;
        }
        byte[] v4 = NetUtil.createByteArrayFromIpAddressString(label.replace('-', '.'));
        if (v4 != null && v4.length == 4) {
            return v4;
        }
        byte[] v6 = NetUtil.createByteArrayFromIpAddressString(label.replace('-', ':'));
        return v6 != null && v6.length == 16 ? v6 : null;
    }

    /** 10.42.0.5 -> {@code 10-42-0-5}: the name upstream DNS gives an endpoint without a hostname. */
    static String dashed(String ip) {
        return canonical(ip).replace('.', '-').replace(':', '-');
    }

    /**
     * The address a reverse name stands for ({@code 5.0.42.10.in-addr.arpa} -> 10.42.0.5, the 32-nibble
     * ip6.arpa form for IPv6), or null when the name is not a complete reverse name.
     */
    static String fromReverse(String lowerName) {
        if (lowerName.endsWith(".in-addr.arpa")) {
            String[] parts = lowerName.substring(0, lowerName.length() - ".in-addr.arpa".length()).split("\\.");
            if (parts.length != 4) {
                return null;
            }
            String ip = parts[3] + "." + parts[2] + "." + parts[1] + "." + parts[0];
            byte[] b = NetUtil.createByteArrayFromIpAddressString(ip);
            return b != null && b.length == 4 ? NetUtil.bytesToIpAddress(b) : null;
        }
        if (lowerName.endsWith(".ip6.arpa")) {
            String[] nibbles = lowerName.substring(0, lowerName.length() - ".ip6.arpa".length()).split("\\.");
            if (nibbles.length != 32) {
                return null;
            }
            byte[] b = new byte[16];
            for (int i = 0; i < 32; i++) {
                if (nibbles[i].length() != 1 || Character.digit(nibbles[i].charAt(0), 16) < 0) {
                    return null;
                }
                int nibble = Character.digit(nibbles[i].charAt(0), 16);
                int at = 31 - i;
                b[at / 2] |= (byte) (at % 2 == 0 ? nibble << 4 : nibble);
            }
            return NetUtil.bytesToIpAddress(b);
        }
        return null;
    }
}
