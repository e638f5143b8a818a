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
 * O = groups), else a bearer token: one from the token file, or one the token authenticators
 * (bootstrap tokens, service-account tokens) accept. The certificate chain is checked here, not
 * by the TLS layer, so that a bad one is a 401 like a bad token; the verdict is kept in the TLS
 * session, which a certificate cannot change.
 */
public final class Authenticator {
    private final Map<String, UserInfo> tokens;
    private final List<TokenAuthenticator> tokenAuthenticators;
    private final List<String> apiAudiences;
    private final ClientCertificates certificates;
    private static final String VERDICT = "kedge.client-certificate-problem";

    public Authenticator(Map<String, UserInfo> tokens) {
        this(tokens, List.of(), List.of(ServiceAccountTokenIssuer.ISSUER), null);
    }

    /**
     * @param apiAudiences the audiences a token sent to this server must be meant for
     * @param certificates the check of client certificates; null when the TLS layer has checked them
     */
    public Authenticator(Map<String, UserInfo> tokens, List<TokenAuthenticator> tokenAuthenticators, List<String> apiAudiences,
                         ClientCertificates certificates) {
        this.tokens = Map.copyOf(tokens);
        this.tokenAuthenticators = List.copyOf(tokenAuthenticators);
        this.apiAudiences = List.copyOf(apiAudiences);
        this.certificates = certificates;
    }

    public Authenticator(Map<String, UserInfo> tokens, List<TokenAuthenticator> tokenAuthenticators, List<String> apiAudiences) {
        this(tokens, tokenAuthenticators, apiAudiences, null);
    }

    /** Outcome: a user, or a reason to answer 401 (for the log, not the client). */
    public record Result(UserInfo user, String failure) {}

    public List<String> apiAudiences() {
        return apiAudiences;
    }

    public Result authenticate(SSLSession session, String authorization) {
        Optional<String> badCertificate = certificateProblem(session);
        Optional<UserInfo> fromCert = badCertificate.isPresent() ? Optional.empty() : fromCertificate(session);
        if (fromCert.isPresent()) {
            return new Result(fromCert.get().authenticated(), null);
        }
        if (authorization != null && !authorization.isBlank()) {
            String[] parts = authorization.trim().split("\\s+", 2);
            if (parts.length == 2 && parts[0].equalsIgnoreCase("Bearer")) {
                TokenOutcome outcome = authenticateToken(parts[1], apiAudiences);
                return outcome.authenticated() ? new Result(outcome.user(), null)
                        : new Result(null, badCertificate.map(b -> b + "; ").orElse("") + outcome.failure());
            }
            return new Result(null, badCertificate.map(b -> b + "; ").orElse("") + "unsupported Authorization scheme");
        }
        return new Result(null, badCertificate.orElse(null));
    }

    /** What is wrong with the session's client certificate; empty when there is none or it is good. Decided once per session. */
    private Optional<String> certificateProblem(SSLSession session) {
        if (certificates == null || session == null) {
            return Optional.empty();
        }
        Object verdict = session.getValue(VERDICT);
        if (verdict == null) {
            Certificate[] chain;
            try {
                chain = session.getPeerCertificates();
            } catch (SSLPeerUnverifiedException none) {
                return Optional.empty();
            }
            X509Certificate[] x509 = java.util.Arrays.stream(chain).filter(X509Certificate.class::isInstance)
                    .map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
            verdict = x509.length != chain.length ? "client certificate chain holds a certificate that is not X.509"
                    : certificates.problem(x509).orElse("");
            session.putValue(VERDICT, verdict);
        }
        return verdict.equals("") ? Optional.empty() : Optional.of((String) verdict);
    }

    /**
     * A bearer token, checked by every token authenticator until one accepts it; the user comes
     * back with {@code system:authenticated}. Tokens that are not audience-bound (the token file,
     * bootstrap tokens) are good for every audience asked for.
     */
    public TokenOutcome authenticateToken(String token, List<String> audiences) {
        UserInfo fromFile = tokens.get(token);
        if (fromFile != null) {
            return TokenOutcome.user(fromFile.authenticated(), audiences);
        }
        List<String> failures = new ArrayList<>();
        for (TokenAuthenticator a : tokenAuthenticators) {
            TokenOutcome outcome = a.authenticate(token, audiences);
            if (outcome.authenticated()) {
                return TokenOutcome.user(outcome.user().authenticated(), outcome.audiences());
            }
            if (outcome.failure() != null) {
                failures.add(outcome.failure());
            }
        }
        return TokenOutcome.rejected(failures.isEmpty() ? "invalid bearer token" : String.join(", ", failures));
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
