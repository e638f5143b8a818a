package io.kedge.apiserver.auth;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Establishes who sent a request: a client certificate signed by the cluster CA (CN = user,
 * O = groups), else a bearer token from the token file. The TLS layer has already verified the
 * certificate chain against the CA.
 */
public final class Authenticator {
    private final Map<String, UserInfo> tokens;

    public Authenticator(Map<String, UserInfo> tokens) {
        this.tokens = Map.copyOf(tokens);
    }

    /** Outcome: a user, or a reason to answer 401. */
    public record Result(UserInfo user, String failure) {}

    public Result authenticate(SSLSession session, String authorization) {
        Optional<UserInfo> fromCert = fromCertificate(session);
        if (fromCert.isPresent()) {
            return new Result(fromCert.get().authenticated(), null);
        }
        if (authorization != null && !authorization.isBlank()) {
            String[] parts = authorization.trim().split("\\s+", 2);
            if (parts.length == 2 && parts[0].equalsIgnoreCase("Bearer")) {
                UserInfo u = tokens.get(parts[1]);
                return u != null ? new Result(u.authenticated(), null) : new Result(null, "invalid bearer token");
            }
            return new Result(null, "unsupported Authorization scheme");
        }
        return new Result(null, null);
    }

    static Optional<UserInfo> fromCertificate(SSLSession session) {
        if (session == null) {
            return Optional.empty();
        }
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException none) {
            return Optional.empty();
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate cert)) {
            return Optional.empty();
        }
        try {
            String cn = null;
            List<String> groups = new ArrayList<>();
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    cn = rdn.getValue().toString();
                } else if (rdn.getType().equalsIgnoreCase("O")) {
                    groups.add(0, rdn.getValue().toString());
                }
            }
            return cn == null || cn.isEmpty() ? Optional.empty() : Optional.of(new UserInfo(cn, "", groups));
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }
}
