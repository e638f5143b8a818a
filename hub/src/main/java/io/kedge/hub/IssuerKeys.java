package io.kedge.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWKSet;
import io.kedge.api.Json;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.ParseException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cloud's service-account issuer as the hub last read it ({@code /.well-known/openid-configuration}
 * and {@code /openid/v1/jwks}), kept on disk, so that pods' tokens can be checked while the cloud is
 * unreachable, after a restart too.
 */
final class IssuerKeys {
    private static final Logger LOG = LoggerFactory.getLogger(IssuerKeys.class);
    static final String FILE = "service-account-issuer.json";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** The issuer's name (also the audience its API accepts) and its public keys. */
    record Issuer(String issuer, JWKSet keys) {}

    private final Path file;
    private volatile Issuer current;

    private IssuerKeys(Path file, Issuer current) {
        this.file = file;
        this.current = current;
    }

    /** What the data dir holds; nothing yet when the hub never read the issuer, or its file is unreadable. */
    static IssuerKeys load(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        Issuer issuer = null;
        if (Files.exists(file)) {
            try {
                issuer = parse(Files.readAllBytes(file));
            } catch (IOException | RuntimeException | ParseException e) {
                LOG.warn("{} is unreadable ({}); pods' tokens are checked offline only once the cloud's key is read again", file,
                        e.toString());
            }
        }
        return new IssuerKeys(file, issuer);
    }

    Optional<Issuer> current() {
        return Optional.ofNullable(current);
    }

    /** Reads both documents from the cloud and keeps them; false, with the reason logged, when that fails. */
    boolean refresh(CloudClient cloud) throws InterruptedException {
        try {
            HttpResponse<byte[]> config = cloud.send(CloudRequest.get("/.well-known/openid-configuration", TIMEOUT));
            HttpResponse<byte[]> keys = cloud.send(CloudRequest.get("/openid/v1/jwks", TIMEOUT));
            if (config.statusCode() != 200 || keys.statusCode() != 200) {
                LOG.warn("the hub cannot read the cloud's service-account issuer (HTTP {} and {}); pods' tokens cannot be "
                        + "checked offline with a newer key", config.statusCode(), keys.statusCode());
                return false;
            }
            ObjectNode doc = Json.object();
            doc.put("issuer", Json.parse(config.body(), false).path("issuer").asText());
            doc.set("keys", Json.parse(keys.body(), false));
            byte[] bytes = Json.bytes(doc);
            Issuer read = parse(bytes);
            Issuer before = current;
            if (before == null || !before.issuer().equals(read.issuer())
                    || !before.keys().toString(true).equals(read.keys().toString(true))) {
                Path tmp = file.resolveSibling(FILE + ".tmp");
                Files.write(tmp, bytes);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                LOG.info("service-account issuer {} with {} keys read from the cloud", read.issuer(), read.keys().getKeys().size());
            }
            current = read;
            return true;
        } catch (IOException | ParseException | RuntimeException e) {
            LOG.debug("service-account issuer not read: {}", e.toString());
            return false;
        }
    }

    private static Issuer parse(byte[] bytes) throws ParseException {
        JsonNode doc = Json.parse(bytes, false);
        String issuer = doc.path("issuer").asText("");
        if (issuer.isEmpty()) {
            throw new ParseException("no issuer", 0);
        }
        return new Issuer(issuer, JWKSet.parse(Json.string(doc.path("keys"))));
    }
}
