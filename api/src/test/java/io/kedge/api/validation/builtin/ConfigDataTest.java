package io.kedge.api.validation.builtin;

import static io.kedge.api.validation.FieldError.Reason.Forbidden;
import static io.kedge.api.validation.FieldError.Reason.Invalid;
import static io.kedge.api.validation.FieldError.Reason.Required;
import static io.kedge.api.validation.FieldError.Reason.TooLong;
import static io.kedge.api.validation.Trees.assertHas;
import static io.kedge.api.validation.Trees.assertOnly;
import static io.kedge.api.validation.Trees.stored;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.BuiltinStrategies;
import io.kedge.api.validation.FieldError;
import io.kedge.api.validation.Trees;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigDataTest {
    private static List<FieldError> configMap(String body) {
        return Trees.create("", "ConfigMap", true, stored("", "ConfigMap", "metadata: {name: c, namespace: d}\n" + body));
    }

    private static ObjectNode secret(String body) {
        return stored("", "Secret", "metadata: {name: s, namespace: d}\n" + body);
    }

    private static List<FieldError> createSecret(String body) {
        return Trees.create("", "Secret", true, secret(body));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes());
    }

    @Test
    void configMapKeysAreConfigKeys() {
        assertThat(configMap("data: {app.conf: x, KEY_1: y}\nbinaryData: {blob: " + b64("b") + "}")).isEmpty();
        assertOnly(configMap("data: {'a/b': x}"), "data[a/b]", Invalid);
        assertOnly(configMap("binaryData: {'..x': " + b64("b") + "}"), "binaryData[..x]", Invalid);
    }

    @Test
    void aKeyMayNotBeInBothDataAndBinaryData() {
        FieldError e = assertOnly(configMap("data: {k: x}\nbinaryData: {k: " + b64("y") + "}"), "data[k]", Invalid);
        assertThat(e.message()).endsWith("duplicate of key present in binaryData");
    }

    @Test
    void binaryDataMustBeBase64() {
        assertOnly(configMap("binaryData: {k: 'not base64!'}"), "binaryData[k]", Invalid);
    }

    @Test
    void configMapsAreCappedAtOneMebibyte() {
        ObjectNode cm = stored("", "ConfigMap", "metadata: {name: c, namespace: d}\ndata: {}");
        ((ObjectNode) cm.get("data")).put("big", "x".repeat(1024 * 1024 + 1));
        assertOnly(Trees.create("", "ConfigMap", true, cm), "data", TooLong);
    }

    @Test
    void immutableConfigMapsKeepTheirData() {
        ObjectNode old = stored("", "ConfigMap", "metadata: {name: c, namespace: d}\ndata: {k: v}\nimmutable: true");
        ObjectNode changed = stored("", "ConfigMap", "metadata: {name: c, namespace: d}\ndata: {k: w}\nimmutable: true");
        FieldError e = assertOnly(Trees.update("", "ConfigMap", true, changed, old), "data", Forbidden);
        assertThat(e.message()).isEqualTo("Forbidden: field is immutable when `immutable` is set");
        ObjectNode unlocked = stored("", "ConfigMap", "metadata: {name: c, namespace: d}\ndata: {k: v}");
        assertOnly(Trees.update("", "ConfigMap", true, unlocked, old), "immutable", Forbidden);
        ObjectNode labelled = old.deepCopy();
        ((ObjectNode) labelled.get("metadata")).putObject("labels").put("a", "b");
        assertThat(Trees.update("", "ConfigMap", true, labelled, old)).isEmpty();
    }

    @Test
    void secretsDefaultToOpaqueAndFoldStringData() {
        ObjectNode s = secret("stringData: {password: hunter2}\ndata: {user: " + b64("admin") + "}");
        assertThat(s.get("type").asText()).isEqualTo("Opaque");
        assertThat(s.has("stringData")).isFalse();
        assertThat(s.at("/data/password").asText()).isEqualTo(b64("hunter2"));
        assertThat(s.at("/data/user").asText()).isEqualTo(b64("admin"));
        ObjectNode again = s.deepCopy();
        BuiltinStrategies.defaulter("", "Secret").apply(again);
        assertThat(again).isEqualTo(s);
    }

    @Test
    void secretValuesMustBeBase64() {
        assertThat(createSecret("data: {k: " + b64("v") + "}")).isEmpty();
        FieldError e = assertOnly(createSecret("data: {k: 'plain text'}"), "data[k]", Invalid);
        assertThat(e.message()).doesNotContain("plain text");
    }

    @Test
    void secretTypesNeedTheirKeys() {
        assertOnly(createSecret("type: kubernetes.io/tls\ndata: {tls.crt: " + b64("c") + "}"), "data[tls.key]", Required);
        assertOnly(createSecret("type: kubernetes.io/dockerconfigjson\ndata: {}"), "data[.dockerconfigjson]", Required);
        assertOnly(createSecret("type: kubernetes.io/dockerconfigjson\ndata: {.dockerconfigjson: " + b64("{oops") + "}"),
                "data[.dockerconfigjson]", Invalid);
        assertThat(createSecret("type: kubernetes.io/dockerconfigjson\ndata: {.dockerconfigjson: "
                + b64("{\"auths\":{}}") + "}")).isEmpty();
        List<FieldError> basic = createSecret("type: kubernetes.io/basic-auth\ndata: {}");
        assertHas(basic, "data[username]", Required);
        assertHas(basic, "data[password]", Required);
        assertOnly(createSecret("type: kubernetes.io/ssh-auth"), "data[ssh-privatekey]", Required);
        assertOnly(createSecret("type: kubernetes.io/service-account-token"),
                "metadata.annotations[kubernetes.io/service-account.name]", Required);
    }

    @Test
    void secretTypeIsImmutable() {
        ObjectNode old = secret("data: {}");
        FieldError e = assertOnly(Trees.update("", "Secret", true, secret("type: example.com/custom"), old), "type",
                Invalid);
        assertThat(e.message()).endsWith("field is immutable");
    }
}
