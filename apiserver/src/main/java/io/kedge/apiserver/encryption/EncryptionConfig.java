package io.kedge.apiserver.encryption;

import com.fasterxml.jackson.databind.JsonNode;
import io.kedge.api.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * An {@code EncryptionConfiguration} ({@code apiserver.config.k8s.io/v1}): which resources are
 * encrypted, and with which providers. kedge supports the {@code aesgcm} and {@code identity}
 * providers; any other is refused at start rather than silently ignored.
 */
public final class EncryptionConfig {
    private record Rule(List<String> resources, ResourceEncryption encryption) {
        boolean covers(String group, String plural) {
            for (String r : resources) {
                int dot = r.indexOf('.');
                String name = dot < 0 ? r : r.substring(0, dot);
                String g = dot < 0 ? "core" : r.substring(dot + 1);
                if ((name.equals("*") || name.equals(plural)) && (g.equals("*") || g.equals(group))) {
                    return true;
                }
            }
            return false;
        }
    }

    private final List<Rule> rules;

    private EncryptionConfig(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static EncryptionConfig read(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString());
    }

    static EncryptionConfig parse(byte[] yaml, String source) {
        JsonNode root;
        try {
            root = Json.YAML.readTree(yaml);
        } catch (IOException e) {
            throw new EncryptionException(source + " is not YAML: " + e.getMessage());
        }
        if (root == null || !"EncryptionConfiguration".equals(root.path("kind").asText())) {
            throw new EncryptionException(source + " is not an EncryptionConfiguration (kind: EncryptionConfiguration,"
                    + " apiVersion: apiserver.config.k8s.io/v1)");
        }
        List<Rule> rules = new ArrayList<>();
        int i = 0;
        for (JsonNode entry : root.path("resources")) {
            String where = source + ": resources[" + i++ + "]";
            List<String> resources = new ArrayList<>();
            entry.path("resources").forEach(r -> resources.add(r.asText()));
            if (resources.isEmpty()) {
                throw new EncryptionException(where + " names no resources");
            }
            rules.add(new Rule(resources, providers(entry.path("providers"), where)));
        }
        if (rules.isEmpty()) {
            throw new EncryptionException(source + " lists no resources to encrypt");
        }
        return new EncryptionConfig(rules);
    }

    private static ResourceEncryption providers(JsonNode providers, String where) {
        List<AesGcmKey> keys = new ArrayList<>();
        boolean identity = false;
        Optional<AesGcmKey> sealWith = null;
        int i = 0;
        for (JsonNode p : providers) {
            Iterator<String> names = p.fieldNames();
            String kind = names.hasNext() ? names.next() : "";
            String at = where + ".providers[" + i++ + "]";
            switch (kind) {
                case "identity" -> {
                    identity = true;
                    if (sealWith == null) {
                        sealWith = Optional.empty();
                    }
                }
                case "aesgcm" -> {
                    List<AesGcmKey> these = new ArrayList<>();
                    for (JsonNode k : p.path("aesgcm").path("keys")) {
                        byte[] secret;
                        try {
                            secret = Base64.getDecoder().decode(k.path("secret").asText());
                        } catch (IllegalArgumentException e) {
                            throw new EncryptionException(at + ": the secret of key \"" + k.path("name").asText()
                                    + "\" is not base64");
                        }
                        try {
                            these.add(new AesGcmKey(k.path("name").asText(), secret));
                        } catch (IllegalArgumentException e) {
                            throw new EncryptionException(at + ": " + e.getMessage());
                        }
                    }
                    if (these.isEmpty()) {
                        throw new EncryptionException(at + ": aesgcm needs at least one key");
                    }
                    keys.addAll(these);
                    if (sealWith == null) {
                        sealWith = Optional.of(these.get(0));
                    }
                }
                default -> throw new EncryptionException(at + ": provider \"" + kind + "\" is not supported by kedge"
                        + " (aesgcm and identity are)");
            }
        }
        if (sealWith == null) {
            throw new EncryptionException(where + " lists no providers");
        }
        return new ResourceEncryption(keys, identity, sealWith);
    }

    /** The encryption of the resource a storage key ({@code /registry/<group>/<plural>/...}) belongs to, if any. */
    Optional<ResourceEncryption> forKey(String storageKey) {
        String[] parts = storageKey.split("/", 5);
        if (parts.length < 4 || !parts[1].equals("registry")) {
            return Optional.empty();
        }
        for (Rule r : rules) {
            if (r.covers(parts[2], parts[3])) {
                return Optional.of(r.encryption());
            }
        }
        return Optional.empty();
    }
}
