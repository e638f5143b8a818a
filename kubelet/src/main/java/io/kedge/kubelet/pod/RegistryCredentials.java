package io.kedge.kubelet.pod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import io.kedge.kubelet.cri.v1.AuthConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Registry credentials from a pod's image pull secrets: {@code kubernetes.io/dockerconfigjson}
 * ({@code .dockerconfigjson}, with an {@code auths} map) and the older {@code kubernetes.io/dockercfg}
 * ({@code .dockercfg}, the map itself). Entries match the image's registry host; keys may be
 * host names, {@code host:port}, or URLs such as {@code https://index.docker.io/v1/}.
 */
final class RegistryCredentials {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RegistryCredentials() {
    }

    /** The credentials that apply to {@code image}, in secret order; empty for an anonymous pull. */
    static List<AuthConfig> forImage(String image, List<Secret> secrets) {
        String registry = ImageRef.registry(image);
        List<AuthConfig> out = new ArrayList<>();
        for (Secret secret : secrets) {
            JsonNode auths = auths(secret);
            for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                try {
                    if (host(entry.getKey()).equals(registry)) {
                        out.add(authConfig(entry.getKey(), entry.getValue()));
                    }
                } catch (IllegalArgumentException malformed) {
                    // an entry with a broken key or auth field is skipped, like a broken secret
                }
            }
        }
        return out;
    }

    private static JsonNode auths(Secret secret) {
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        try {
            if (data.containsKey(".dockerconfigjson")) {
                return JSON.readTree(decode(data.get(".dockerconfigjson"))).path("auths");
            }
            if (data.containsKey(".dockercfg")) {
                return JSON.readTree(decode(data.get(".dockercfg")));
            }
        } catch (IOException | IllegalArgumentException e) {
            // a broken pull secret makes the pull anonymous, as upstream does; the pull's error then tells
        }
        return JSON.createObjectNode();
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    /** The registry host of a config key: {@code https://index.docker.io/v1/} is docker.io, {@code host:5000/path} is host:5000. */
    static String host(String key) {
        String k = key.trim();
        if (k.contains("://")) {
            URI uri = URI.create(k);
            k = uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
        } else if (k.contains("/")) {
            k = k.substring(0, k.indexOf('/'));
        }
        if (k == null) {
            return "";
        }
        return k.equals("index.docker.io") || k.equals("registry-1.docker.io") ? ImageRef.DOCKER_HUB : k;
    }

    private static AuthConfig authConfig(String server, JsonNode entry) {
        AuthConfig.Builder auth = AuthConfig.newBuilder().setServerAddress(server);
        String username = entry.path("username").asText("");
        String password = entry.path("password").asText("");
        String encoded = entry.path("auth").asText("");
        if (username.isEmpty() && !encoded.isEmpty()) {
            String decoded = decode(encoded);
            int colon = decoded.indexOf(':');
            if (colon > 0) {
                username = decoded.substring(0, colon);
                password = decoded.substring(colon + 1);
            }
        }
        auth.setUsername(username).setPassword(password).setAuth(encoded);
        if (entry.hasNonNull("identitytoken")) {
            auth.setIdentityToken(entry.get("identitytoken").asText());
        }
        if (entry.hasNonNull("registrytoken")) {
            auth.setRegistryToken(entry.get("registrytoken").asText());
        }
        return auth.build();
    }
}
