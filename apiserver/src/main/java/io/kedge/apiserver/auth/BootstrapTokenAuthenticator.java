package io.kedge.apiserver.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bootstrap tokens ({@code ID.SECRET}) that join new nodes: backed by the Secret
 * {@code kube-system/bootstrap-token-ID} of type {@code bootstrap.kubernetes.io/token} that allows
 * authentication and has not expired.
 */
public final class BootstrapTokenAuthenticator implements TokenAuthenticator {
    static final String NAMESPACE = "kube-system";
    static final String SECRET_PREFIX = "bootstrap-token-";
    static final String SECRET_TYPE = "bootstrap.kubernetes.io/token";
    static final String USER_PREFIX = "system:bootstrap:";
    static final String GROUP = "system:bootstrappers";
    private static final Pattern TOKEN = Pattern.compile("^([a-z0-9]{6})\\.([a-z0-9]{16})$");
    private static final Pattern EXTRA_GROUP = Pattern.compile("^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$");

    private final ObjectLookup objects;
    private final Clock clock;

    public BootstrapTokenAuthenticator(ObjectLookup objects, Clock clock) {
        this.objects = objects;
        this.clock = clock;
    }

    @Override
    public TokenOutcome authenticate(String token, List<String> audiences) {
        Matcher m = TOKEN.matcher(token);
        if (!m.matches()) {
            return TokenOutcome.notMine();
        }
        String id = m.group(1);
        String what = "bootstrap token " + id + ": ";
        Optional<JsonNode> found = objects.find("secrets", NAMESPACE, SECRET_PREFIX + id);
        if (found.isEmpty()) {
            return TokenOutcome.rejected(what + "no secret " + NAMESPACE + "/" + SECRET_PREFIX + id);
        }
        JsonNode secret = found.get();
        if (secret.path("metadata").hasNonNull("deletionTimestamp")) {
            return TokenOutcome.rejected(what + "its secret is being deleted");
        }
        if (!SECRET_TYPE.equals(secret.path("type").asText())) {
            return TokenOutcome.rejected(what + "its secret has type " + secret.path("type").asText() + ", not " + SECRET_TYPE);
        }
        JsonNode data = secret.path("data");
        if (!MessageDigest.isEqual(bytes(data, "token-secret"), m.group(2).getBytes(StandardCharsets.UTF_8))
                || !id.equals(text(data, "token-id"))) {
            return TokenOutcome.rejected(what + "the secret does not match");
        }
        String expiration = text(data, "expiration");
        if (!expiration.isEmpty()) {
            try {
                if (!clock.instant().isBefore(OffsetDateTime.parse(expiration).toInstant())) {
                    return TokenOutcome.rejected(what + "expired at " + expiration);
                }
            } catch (DateTimeParseException e) {
                return TokenOutcome.rejected(what + "unreadable expiration " + expiration);
            }
        }
        if (!"true".equals(text(data, "usage-bootstrap-authentication"))) {
            return TokenOutcome.rejected(what + "not marked for authentication (usage-bootstrap-authentication)");
        }
        List<String> groups = new ArrayList<>(List.of(GROUP));
        for (String g : text(data, "auth-extra-groups").split(",")) {
            String group = g.trim();
            if (group.isEmpty()) {
                continue;
            }
            if (!EXTRA_GROUP.matcher(group).matches()) {
                return TokenOutcome.rejected(what + "auth-extra-groups has " + group + ", which is not a system:bootstrappers: group");
            }
            if (!groups.contains(group)) groups.add(group);
        }
        return TokenOutcome.user(new UserInfo(USER_PREFIX + id, "", groups), audiences);
    }

    private static byte[] bytes(JsonNode data, String key) {
        String b64 = data.path(key).asText("");
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    private static String text(JsonNode data, String key) {
        return new String(bytes(data, key), StandardCharsets.UTF_8);
    }
}
