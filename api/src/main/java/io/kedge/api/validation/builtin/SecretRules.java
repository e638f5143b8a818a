package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.ErrorCollector;
import io.kedge.api.validation.FieldPath;
import io.kedge.api.validation.KindRules;
import io.kedge.api.validation.MetadataValidator;
import io.kedge.api.validation.Nodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** core/v1 Secret, including the keys each well-known type must carry. */
final class SecretRules implements KindRules {
    static final String SERVICE_ACCOUNT_NAME = "kubernetes.io/service-account.name";
    private static final FieldPath DATA = FieldPath.ROOT.child("data");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void validate(ObjectNode secret, ErrorCollector errs) {
        Map<String, String> data = errs.stringMap(secret, "data", FieldPath.ROOT);
        ConfigDataRules.validateKeys(data, DATA, errs);
        Map<String, String> stringData = errs.stringMap(secret, "stringData", FieldPath.ROOT);
        ConfigDataRules.validateKeys(stringData, FieldPath.ROOT.child("stringData"), errs);
        long size = ConfigDataRules.decodedSize(data, DATA, errs) + ConfigDataRules.textSize(stringData);
        ConfigDataRules.validateSize(size, errs);
        errs.bool(secret, "immutable", FieldPath.ROOT);
        String type = errs.string(secret, "type", FieldPath.ROOT);
        if (type != null) {
            validateType(secret, type, data, errs);
        }
    }

    private static void validateType(ObjectNode secret, String type, Map<String, String> data, ErrorCollector errs) {
        switch (type) {
            case "kubernetes.io/service-account-token" -> {
                JsonNode sa = secret.path("metadata").path("annotations").get(SERVICE_ACCOUNT_NAME);
                if (sa == null || sa.asText("").isEmpty()) {
                    errs.required(FieldPath.ROOT.child("metadata", "annotations").key(SERVICE_ACCOUNT_NAME), "");
                }
            }
            case "kubernetes.io/dockercfg" -> requiredJsonKey(data, ".dockercfg", errs);
            case "kubernetes.io/dockerconfigjson" -> requiredJsonKey(data, ".dockerconfigjson", errs);
            case "kubernetes.io/basic-auth" -> {
                if (!data.containsKey("username") && !data.containsKey("password")) {
                    errs.required(DATA.key("username"), "");
                    errs.required(DATA.key("password"), "");
                }
            }
            case "kubernetes.io/ssh-auth" -> {
                if (data.getOrDefault("ssh-privatekey", "").isEmpty()) {
                    errs.required(DATA.key("ssh-privatekey"), "");
                }
            }
            case "kubernetes.io/tls" -> {
                for (String key : new String[] {"tls.key", "tls.crt"}) {
                    if (!data.containsKey(key)) {
                        errs.required(DATA.key(key), "");
                    }
                }
            }
            default -> { }
        }
    }

    private static void requiredJsonKey(Map<String, String> data, String key, ErrorCollector errs) {
        String encoded = data.get(key);
        if (encoded == null || encoded.isEmpty()) {
            errs.required(DATA.key(key), "");
            return;
        }
        try {
            JSON.readTree(Base64.getMimeDecoder().decode(encoded));
        } catch (IllegalArgumentException | IOException e) {
            errs.invalid(DATA.key(key), "<secret contents redacted>", "must be valid JSON");
        }
    }

    @Override
    public void validateUpdate(ObjectNode secret, ObjectNode old, ErrorCollector errs) {
        String type = Nodes.textOrEmpty(secret, "type");
        String oldType = Nodes.textOrEmpty(old, "type");
        if (!type.equals(oldType)) {
            errs.invalid(FieldPath.ROOT.child("type"), type, MetadataValidator.IMMUTABLE);
        }
        ConfigDataRules.validateImmutable(secret, old, errs);
    }

    /** Secret defaults: type Opaque, and {@code stringData} folded into {@code data}, as the API converts it. */
    static void defaults(ObjectNode secret) {
        Nodes.defaultText(secret, "type", "Opaque");
        ObjectNode stringData = Nodes.object(secret, "stringData");
        if (stringData == null) {
            return;
        }
        ObjectNode data = Nodes.ensureObject(secret, "data");
        if (data == null) {
            return;
        }
        stringData.fields().forEachRemaining(e -> {
            if (e.getValue().isTextual()) {
                data.put(e.getKey(), Base64.getEncoder()
                        .encodeToString(e.getValue().textValue().getBytes(StandardCharsets.UTF_8)));
            }
        });
        boolean allText = true;
        for (JsonNode v : stringData) {
            allText &= v.isTextual();
        }
        if (allText) {
            secret.remove("stringData");
        }
    }
}
