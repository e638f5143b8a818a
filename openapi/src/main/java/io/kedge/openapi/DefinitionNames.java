package io.kedge.openapi;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Maps fabric8 model classes to the definition names the upstream API server publishes, so clients that
 * look a schema up by name (and people reading {@code kubectl explain}) see the names they know.
 */
final class DefinitionNames {
    static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1";
    static final String OBJECT_META = META + ".ObjectMeta";
    static final String LIST_META = META + ".ListMeta";
    static final String STATUS = META + ".Status";
    static final String DELETE_OPTIONS = META + ".DeleteOptions";
    static final String PATCH = META + ".Patch";
    static final String INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";

    private static final String FABRIC8_MODEL = "io.fabric8.kubernetes.api.model";
    private static final Pattern VERSION = Pattern.compile("v\\d+((alpha|beta)\\d+)?");

    /** fabric8 keeps these apimachinery meta/v1 types in the same package as core/v1. */
    private static final Set<String> META_TYPES = Set.of(
            "APIGroup", "APIGroupList", "APIResource", "APIResourceList", "APIVersions", "Condition",
            "CreateOptions", "DeleteOptions", "FieldSelectorRequirement", "FieldsV1", "GetOptions",
            "GroupVersionForDiscovery", "LabelSelector", "LabelSelectorRequirement", "ListMeta", "ListOptions",
            "ManagedFieldsEntry", "MicroTime", "ObjectMeta", "OwnerReference", "PartialObjectMetadata",
            "PartialObjectMetadataList", "Patch", "PatchOptions", "Preconditions", "RootPaths",
            "ServerAddressByClientCIDR", "Status", "StatusCause", "StatusDetails", "Table", "TableColumnDefinition",
            "TableRow", "TypeMeta", "UpdateOptions", "WatchEvent");

    private DefinitionNames() {}

    static boolean isModelClass(Class<?> type) {
        String pkg = type.getPackageName();
        return pkg.equals(FABRIC8_MODEL) || pkg.startsWith(FABRIC8_MODEL + ".");
    }

    /** {@code io.fabric8.kubernetes.api.model.apps.DeploymentSpec} becomes {@code io.k8s.api.apps.v1.DeploymentSpec}. */
    static String of(Class<?> type) {
        if (!isModelClass(type)) {
            throw new IllegalArgumentException(type.getName() + " is not a fabric8 Kubernetes model class");
        }
        return packagePrefix(type) + "." + type.getSimpleName();
    }

    private static String packagePrefix(Class<?> type) {
        String pkg = type.getPackageName();
        if (pkg.equals(FABRIC8_MODEL)) {
            String simple = type.getSimpleName();
            if (simple.equals("Quantity")) {
                return "io.k8s.apimachinery.pkg.api.resource";
            }
            if (simple.equals("IntOrString")) {
                return "io.k8s.apimachinery.pkg.util.intstr";
            }
            return META_TYPES.contains(simple) ? META : "io.k8s.api.core.v1";
        }
        String[] segments = pkg.substring(FABRIC8_MODEL.length() + 1).split("\\.");
        String first = segments[0];
        String last = segments[segments.length - 1];
        // fabric8 drops the version from the package when a group has only v1 (apps, rbac, storage, ...)
        String version = VERSION.matcher(last).matches() ? last : "v1";
        return switch (first) {
            case "apiextensions" -> "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions." + version;
            case "version" -> "io.k8s.apimachinery.pkg.version";
            case "runtime" -> "io.k8s.apimachinery.pkg.runtime";
            default -> "io.k8s.api." + first + "." + version;
        };
    }

    /** Custom kinds are named like upstream names CRDs: the group reversed, then version and kind. */
    static String ofCustomKind(String group, String version, String kind) {
        String[] labels = group.split("\\.");
        StringBuilder name = new StringBuilder();
        for (int i = labels.length - 1; i >= 0; i--) {
            if (!labels[i].isEmpty()) {
                name.append(labels[i]).append('.');
            }
        }
        return name.append(version).append('.').append(kind).toString();
    }
}
