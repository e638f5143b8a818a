package io.kedge.pki;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.util.IPAddress;

/**
 * The DNS names and IP addresses a certificate is valid for. DNS names are kept lower-case and IP addresses in
 * canonical form, so that comparing two sets is a plain set comparison.
 */
public record SubjectAltNames(List<String> dnsNames, List<String> ipAddresses) {
    /** Names every in-cluster client and kubectl on the server host may use to reach the API server. */
    public static final List<String> API_SERVER_DEFAULTS = List.of(
            "localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
            "kubernetes.default.svc.cluster.local", "127.0.0.1");

    private static final Pattern DNS_NAME = Pattern.compile("[A-Za-z0-9*_.-]+");

    public SubjectAltNames {
        dnsNames = normalizeDns(dnsNames);
        ipAddresses = normalizeIps(ipAddresses);
    }

    public static SubjectAltNames none() {
        return new SubjectAltNames(List.of(), List.of());
    }

    /**
     * Sorts host names and address literals into DNS and IP entries. Unspecified bind addresses ({@code 0.0.0.0},
     * {@code ::}) are skipped: no client connects to them. IPv6 literals may be in brackets.
     */
    public static SubjectAltNames of(Collection<String> hostsOrAddresses) {
        if (hostsOrAddresses == null) {
            throw new IllegalArgumentException("hosts or addresses must not be null");
        }
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        for (String entry : hostsOrAddresses) {
            if (entry == null || entry.isBlank()) {
                throw new IllegalArgumentException("empty host or address in " + hostsOrAddresses);
            }
            String literal = stripBrackets(entry.trim());
            if (IPAddress.isValid(literal)) {
                if (!parseIp(literal).isAnyLocalAddress()) {
                    ips.add(literal);
                }
            } else {
                dns.add(literal);
            }
        }
        return new SubjectAltNames(dns, ips);
    }

    /** {@link #API_SERVER_DEFAULTS} plus every bind and advertise address given. */
    public static SubjectAltNames forApiServer(Collection<String> bindAndAdvertiseAddresses) {
        return of(API_SERVER_DEFAULTS).plus(of(bindAndAdvertiseAddresses));
    }

    /** The DNS and IP entries of a certificate; other kinds of entry are ignored. */
    public static SubjectAltNames of(X509Certificate certificate) {
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        try {
            Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
            if (entries != null) {
                for (List<?> entry : entries) {
                    int type = (Integer) entry.get(0);
                    if (type == GeneralName.dNSName) {
                        dns.add((String) entry.get(1));
                    } else if (type == GeneralName.iPAddress) {
                        ips.add((String) entry.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new PkiException("certificate " + certificate.getSubjectX500Principal()
                    + " has an unreadable subjectAltName: " + e.getMessage(), e);
        }
        return new SubjectAltNames(dns, ips);
    }

    public SubjectAltNames plus(SubjectAltNames other) {
        List<String> dns = new ArrayList<>(dnsNames);
        dns.addAll(other.dnsNames);
        List<String> ips = new ArrayList<>(ipAddresses);
        ips.addAll(other.ipAddresses);
        return new SubjectAltNames(dns, ips);
    }

    /** Whether every name and address in {@code requested} is also here. */
    public boolean covers(SubjectAltNames requested) {
        return dnsNames.containsAll(requested.dnsNames) && ipAddresses.containsAll(requested.ipAddresses);
    }

    public boolean isEmpty() {
        return dnsNames.isEmpty() && ipAddresses.isEmpty();
    }

    GeneralNames toGeneralNames() {
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(name -> names.add(new GeneralName(GeneralName.dNSName, name)));
        ipAddresses.forEach(ip -> names.add(
                new GeneralName(GeneralName.iPAddress, new DEROctetString(parseIp(ip).getAddress()))));
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    static String ipAddress(GeneralName name) {
        byte[] octets = DEROctetString.getInstance(name.getName()).getOctets();
        try {
            return InetAddress.getByAddress(octets).getHostAddress();
        } catch (UnknownHostException e) {
            throw new PkiException("an IP subjectAltName has " + octets.length + " bytes, expected 4 or 16", e);
        }
    }

    private static List<String> normalizeDns(List<String> names) {
        if (names == null) {
            throw new IllegalArgumentException("dnsNames must not be null");
        }
        Set<String> result = new LinkedHashSet<>();
        for (String name : names) {
            if (name == null || !DNS_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not a valid DNS name for a certificate: '" + name + "'");
            }
            result.add(name.toLowerCase(Locale.ROOT));
        }
        return List.copyOf(result);
    }

    private static List<String> normalizeIps(List<String> addresses) {
        if (addresses == null) {
            throw new IllegalArgumentException("ipAddresses must not be null");
        }
        Set<String> result = new LinkedHashSet<>();
        for (String address : addresses) {
            String literal = address == null ? "" : stripBrackets(address.trim());
            if (!IPAddress.isValid(literal)) {
                throw new IllegalArgumentException("not an IP address: '" + address + "'");
            }
            result.add(parseIp(literal).getHostAddress());
        }
        return List.copyOf(result);
    }

    private static String stripBrackets(String s) {
        return s.length() > 2 && s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
    }

    /** Only called on validated literals, so no name lookup happens. */
    private static InetAddress parseIp(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: '" + literal + "'", e);
        }
    }
}
