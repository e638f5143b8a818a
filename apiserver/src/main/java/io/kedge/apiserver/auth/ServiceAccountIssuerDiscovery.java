package io.kedge.apiserver.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Json;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * OIDC discovery for service-account tokens: the issuer's configuration document and the key set
 * that verifies its tokens, so that relying parties (an edge hub among them) can check tokens
 * without asking the server about each one.
 */
public final class ServiceAccountIssuerDiscovery {
    public static final String CONFIGURATION_PATH = "/.well-known/openid-configuration";
    public static final String KEYS_PATH = "/openid/v1/jwks";
    public static final String KEYS_CONTENT_TYPE = "application/jwk-set+json";
    /** Both documents change only with the key, so relying parties may keep them for an hour. */
    public static final String CACHE_CONTROL = "public, max-age=3600";

    private final ServiceAccountKey key;
    private final Supplier<String> serverAddress;

    /** @param serverAddress {@code host:port} where clients reach this server, for the key set's URL */
    public ServiceAccountIssuerDiscovery(ServiceAccountKey key, Supplier<String> serverAddress) {
        this.key = key;
        this.serverAddress = serverAddress;
    }

    /** Whether {@code path} is one of the two documents (a trailing slash allowed). */
    public static boolean serves(String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return p.equals(CONFIGURATION_PATH) || p.equals(KEYS_PATH);
    }

    public static boolean isKeySet(String path) {
        return path.startsWith(KEYS_PATH);
    }

    public byte[] configuration() {
        ObjectNode doc = Json.object();
        doc.put("issuer", ServiceAccountTokenIssuer.ISSUER);
        doc.put("jwks_uri", "https://" + serverAddress.get() + KEYS_PATH);
        doc.putArray("response_types_supported").add("id_token");
        doc.putArray("subject_types_supported").add("public");
        doc.putArray("id_token_signing_alg_values_supported").add("ES256");
        return Json.bytes(doc);
    }

    public byte[] keySet() {
        return key.publicKeySet().getBytes(StandardCharsets.UTF_8);
    }
}
