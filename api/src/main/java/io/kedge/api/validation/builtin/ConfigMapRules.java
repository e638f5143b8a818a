package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.ErrorCollector;
import io.kedge.api.validation.FieldPath;
import io.kedge.api.validation.KindRules;
import java.util.Map;

/** core/v1 ConfigMap. */
final class ConfigMapRules implements KindRules {
    @Override
    public void validate(ObjectNode cm, ErrorCollector errs) {
        FieldPath dataPath = FieldPath.ROOT.child("data");
        FieldPath binaryPath = FieldPath.ROOT.child("binaryData");
        Map<String, String> data = errs.stringMap(cm, "data", FieldPath.ROOT);
        Map<String, String> binary = errs.stringMap(cm, "binaryData", FieldPath.ROOT);
        ConfigDataRules.validateKeys(data, dataPath, errs);
        ConfigDataRules.validateKeys(binary, binaryPath, errs);
        for (String key : data.keySet()) {
            if (binary.containsKey(key)) {
                errs.invalid(dataPath.key(key), key, "duplicate of key present in binaryData");
            }
        }
        long size = ConfigDataRules.textSize(data) + ConfigDataRules.decodedSize(binary, binaryPath, errs);
        ConfigDataRules.validateSize(size, errs);
        errs.bool(cm, "immutable", FieldPath.ROOT);
    }

    @Override
    public void validateUpdate(ObjectNode cm, ObjectNode old, ErrorCollector errs) {
        ConfigDataRules.validateImmutable(cm, old, errs);
    }
}
