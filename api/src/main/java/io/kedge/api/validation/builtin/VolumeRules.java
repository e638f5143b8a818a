package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.ErrorCollector;
import io.kedge.api.validation.FieldPath;
import io.kedge.api.validation.Formats;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A pod's {@code volumes}: unique DNS-label names, exactly one source each, the common sources checked. */
final class VolumeRules {
    static final List<String> HOST_PATH_TYPES = List.of("", "DirectoryOrCreate", "Directory", "FileOrCreate",
            "File", "Socket", "CharDevice", "BlockDevice");
    private static final int MAX_MODE = 0777;

    private VolumeRules() {}

    /** Validates the volumes and returns their names, for the containers' mounts to refer to. */
    static Set<String> validate(JsonNode spec, FieldPath specPath, ErrorCollector errs) {
        Set<String> names = new HashSet<>();
        for (ErrorCollector.Indexed v : errs.objects(spec, "volumes", specPath)) {
            FieldPath p = v.path();
            String name = errs.requiredString(v.node(), "name", p, "");
            if (name != null) {
                errs.invalidEach(p.child("name"), name, Formats.dns1123Label(name));
                if (!names.add(name)) {
                    errs.duplicate(p.child("name"), name);
                }
            }
            validateSource(v.node(), p, errs);
        }
        return names;
    }

    private static void validateSource(ObjectNode volume, FieldPath p, ErrorCollector errs) {
        List<String> sources = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) volume::fields) {
            if (!e.getKey().equals("name") && !e.getValue().isNull()) {
                sources.add(e.getKey());
            }
        }
        if (sources.isEmpty()) {
            errs.required(p, "must specify a volume type");
            return;
        }
        if (sources.size() > 1) {
            errs.forbidden(p.child(sources.get(1)), "may not specify more than 1 volume type");
        }
        ObjectNode hostPath = errs.object(volume, "hostPath", p);
        if (hostPath != null) {
            FieldPath hp = p.child("hostPath");
            errs.requiredString(hostPath, "path", hp, "");
            String type = errs.string(hostPath, "type", hp);
            if (type != null && !HOST_PATH_TYPES.contains(type)) {
                errs.notSupported(hp.child("type"), type, HOST_PATH_TYPES);
            }
        }
        ObjectNode emptyDir = errs.object(volume, "emptyDir", p);
        if (emptyDir != null && emptyDir.hasNonNull("sizeLimit")) {
            BigDecimal limit = Quantities.parse(emptyDir.get("sizeLimit"));
            if (limit == null || limit.signum() < 0) {
                errs.invalid(p.child("emptyDir", "sizeLimit"), emptyDir.get("sizeLimit"), Quantities.FORMAT_MESSAGE);
            }
        }
        ObjectNode secret = errs.object(volume, "secret", p);
        if (secret != null) {
            errs.requiredString(secret, "secretName", p.child("secret"), "");
            validateProjection(secret, p.child("secret"), true, errs);
        }
        ObjectNode configMap = errs.object(volume, "configMap", p);
        if (configMap != null) {
            errs.requiredString(configMap, "name", p.child("configMap"), "");
            validateProjection(configMap, p.child("configMap"), true, errs);
        }
        ObjectNode downward = errs.object(volume, "downwardAPI", p);
        if (downward != null) {
            validateProjection(downward, p.child("downwardAPI"), false, errs);
        }
        ObjectNode projected = errs.object(volume, "projected", p);
        if (projected != null) {
            validateMode(projected, "defaultMode", p.child("projected"), errs);
        }
        ObjectNode claim = errs.object(volume, "persistentVolumeClaim", p);
        if (claim != null) {
            errs.requiredString(claim, "claimName", p.child("persistentVolumeClaim"), "");
        }
    }

    /** The file list and modes shared by secret, config map ({@code keyed}) and downward API volumes. */
    private static void validateProjection(ObjectNode source, FieldPath p, boolean keyed, ErrorCollector errs) {
        validateMode(source, "defaultMode", p, errs);
        for (ErrorCollector.Indexed item : errs.objects(source, "items", p)) {
            if (keyed) {
                errs.requiredString(item.node(), "key", item.path(), "");
            }
            String path = errs.requiredString(item.node(), "path", item.path(), "");
            if (path != null) {
                validateRelativePath(path, item.path().child("path"), errs);
            }
            validateMode(item.node(), "mode", item.path(), errs);
        }
    }

    private static void validateMode(ObjectNode holder, String field, FieldPath p, ErrorCollector errs) {
        Integer mode = errs.int32(holder, field, p);
        if (mode != null && (mode < 0 || mode > MAX_MODE)) {
            errs.invalid(p.child(field), mode, "must be a number between 0 and 0777 (octal), both inclusive");
        }
    }

    /** A path inside a volume: relative, and never climbing out with '..'. */
    static void validateRelativePath(String path, FieldPath p, ErrorCollector errs) {
        if (path.startsWith("/")) {
            errs.invalid(p, path, "must be a relative path");
        }
        for (String part : path.split("/")) {
            if (part.equals("..")) {
                errs.invalid(p, path, "must not contain '..'");
                break;
            }
        }
    }
}
