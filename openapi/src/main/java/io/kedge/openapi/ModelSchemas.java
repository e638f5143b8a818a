package io.kedge.openapi;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.AnyType;
import io.fabric8.kubernetes.api.model.Duration;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.Patch;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Derives OpenAPI schemas from the fabric8 model classes through their Jackson annotations. The fabric8 jars carry
 * no field descriptions and no bundled schemas, so only kinds and the common envelope fields get descriptions.
 */
final class ModelSchemas {
    private static final Map<String, String> ENVELOPE_DESCRIPTIONS = Map.of(
            "apiVersion", "The versioned schema of this object, as group/version (\"v1\" for the core group).",
            "kind", "The kind of this object, in CamelCase.",
            "metadata", "Standard object metadata: name, namespace, labels, annotations and the server-set fields.",
            "spec", "The desired state of this object.",
            "status", "The most recently observed state of this object, written by the system.");

    private final PatchStrategies patchStrategies;
    private final Map<String, ObjectNode> definitions = new TreeMap<>();
    private final Map<Class<?>, String> names = new HashMap<>();

    ModelSchemas(PatchStrategies patchStrategies) {
        this.patchStrategies = patchStrategies;
    }

    Optional<ObjectNode> definition(String name) {
        return Optional.ofNullable(definitions.get(name));
    }

    /** Defines the schema of a model class and everything it references; returns its definition name. */
    String define(Class<?> type) {
        String known = names.get(type);
        if (known != null) {
            return known;
        }
        String name = DefinitionNames.of(type);
        names.put(type, name);
        ObjectNode schema = Schemas.object();
        // registered before filling so self-referencing types (JSONSchemaProps) end in a $ref, not a loop
        definitions.put(name, schema);
        fill(type, name, schema);
        return name;
    }

    private void fill(Class<?> type, String name, ObjectNode schema) {
        if (type == IntOrString.class) {
            schema.put("description", "A value that is either an integer or a string.");
            schema.put("format", "int-or-string");
            schema.putArray("oneOf").add(Schemas.typed("integer")).add(Schemas.typed("string"));
        } else if (type == Quantity.class) {
            schema.put("description", "A fixed-point amount with an optional unit suffix, such as 100m, 1.5 or 64Mi.");
            schema.putArray("oneOf").add(Schemas.typed("string")).add(Schemas.typed("number"));
        } else if (type == Patch.class) {
            schema.put("description", "The body of a PATCH request, in the format its content type names.");
            schema.put("type", "object");
        } else if (hasCustomSerialization(type) || AnyType.class.isAssignableFrom(type)) {
            schema.put("description", "Any JSON value.");
        } else {
            fillObject(type, name, schema);
        }
    }

    private void fillObject(Class<?> type, String name, ObjectNode schema) {
        Version version = type.getAnnotation(Version.class);
        if (version != null) {
            Group group = type.getAnnotation(Group.class);
            Kind kind = type.getAnnotation(Kind.class);
            String groupName = group == null ? "" : group.value();
            String kindName = kind == null ? type.getSimpleName() : kind.value();
            String gv = groupName.isEmpty() ? version.value() : groupName + "/" + version.value();
            schema.put("description", kindName + " is a kind of the " + gv + " API.");
            schema.set(Schemas.GVK_EXTENSION, Schemas.gvkList(groupName, version.value(), kindName));
        }
        schema.put("type", "object");
        ObjectNode properties = Schemas.object();
        for (Field field : jsonFields(type)) {
            String fieldName = jsonName(field);
            ObjectNode property = propertySchema(field, fieldName);
            String envelope = ENVELOPE_DESCRIPTIONS.get(fieldName);
            if (envelope != null && version != null && !property.has("description")) {
                property.put("description", envelope);
            }
            patchStrategies.lookup(name, fieldName).ifPresent(strategy -> {
                if (strategy.mergeKey() != null) {
                    property.put("x-kubernetes-patch-merge-key", strategy.mergeKey());
                }
                property.put("x-kubernetes-patch-strategy", strategy.strategy());
            });
            properties.set(fieldName, property);
        }
        if (!properties.isEmpty()) {
            schema.set("properties", properties);
        }
    }

    private ObjectNode propertySchema(Field field, String fieldName) {
        Type type;
        try {
            type = field.getGenericType();
        } catch (TypeNotPresentException | LinkageError e) {
            // a field typed by a model jar that is not on the class path: publish it as free-form
            return Schemas.object();
        }
        return propertySchema(type, fieldName);
    }

    private ObjectNode propertySchema(Type type, String fieldName) {
        if (type instanceof ParameterizedType parameterized && parameterized.getRawType() instanceof Class<?> raw) {
            Type[] args = parameterized.getActualTypeArguments();
            if (Collection.class.isAssignableFrom(raw) && args.length == 1) {
                return Schemas.arrayOf(propertySchema(args[0], fieldName));
            }
            if (Map.class.isAssignableFrom(raw) && args.length == 2) {
                return Schemas.mapOf(propertySchema(args[1], fieldName));
            }
            return Schemas.object();
        }
        if (!(type instanceof Class<?> cls)) {
            return Schemas.object(); // type variables and wildcards: nothing to say
        }
        if (cls == String.class) {
            return isTimestampName(fieldName) ? Schemas.typed("string", "date-time") : Schemas.typed("string");
        }
        if (cls == Integer.class || cls == int.class || cls == Short.class || cls == short.class) {
            return Schemas.typed("integer", "int32");
        }
        if (cls == Long.class || cls == long.class || cls == BigInteger.class) {
            return Schemas.typed("integer", "int64");
        }
        if (cls == Double.class || cls == double.class || cls == BigDecimal.class) {
            return Schemas.typed("number", "double");
        }
        if (cls == Float.class || cls == float.class) {
            return Schemas.typed("number", "float");
        }
        if (cls == Boolean.class || cls == boolean.class) {
            return Schemas.typed("boolean");
        }
        if (cls == byte[].class) {
            return Schemas.typed("string", "byte");
        }
        if (cls == MicroTime.class || cls == ZonedDateTime.class || cls == OffsetDateTime.class
                || cls == Instant.class || cls == LocalDateTime.class) {
            return Schemas.typed("string", "date-time");
        }
        if (cls == Duration.class || cls.isEnum()) {
            return Schemas.typed("string");
        }
        if (cls.isArray()) {
            return Schemas.arrayOf(propertySchema(cls.getComponentType(), fieldName));
        }
        if (Collection.class.isAssignableFrom(cls)) {
            return Schemas.arrayOf(Schemas.object());
        }
        if (Map.class.isAssignableFrom(cls)) {
            return Schemas.mapOf(Schemas.object());
        }
        if (DefinitionNames.isModelClass(cls)) {
            return Schemas.ref(define(cls));
        }
        return Schemas.object(); // Object, JsonNode and other free-form values
    }

    /**
     * fabric8 maps metav1.Time to String, so the field name is all that is left to tell a timestamp by; the
     * upstream fields follow these naming patterns (creationTimestamp, lastTransitionTime, startedAt, ...).
     */
    static boolean isTimestampName(String fieldName) {
        return fieldName.endsWith("Timestamp") || fieldName.endsWith("Time") || fieldName.equals("time")
                || fieldName.equals("startedAt") || fieldName.equals("finishedAt");
    }

    private static List<Field> jsonFields(Class<?> type) {
        List<Class<?>> hierarchy = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            hierarchy.add(0, c);
        }
        List<Field> fields = new ArrayList<>();
        for (Class<?> c : hierarchy) {
            for (Field field : c.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (Modifier.isStatic(modifiers) || Modifier.isTransient(modifiers) || field.isSynthetic()) {
                    continue;
                }
                JsonIgnore ignore = field.getAnnotation(JsonIgnore.class);
                if ((ignore != null && ignore.value()) || field.getAnnotation(JsonProperty.class) == null) {
                    continue;
                }
                fields.add(field);
            }
        }
        return fields;
    }

    private static String jsonName(Field field) {
        String value = field.getAnnotation(JsonProperty.class).value();
        return value.isEmpty() ? field.getName() : value;
    }

    /**
     * Types with their own (de)serializer do not look like their fields on the wire (JSONSchemaPropsOrArray is a
     * schema or a list of them), so they are published as free-form. The annotation is matched by simple name:
     * fabric8 8 uses Jackson 3's {@code tools.jackson} annotations, older models Jackson 2's.
     */
    private static boolean hasCustomSerialization(Class<?> type) {
        for (Annotation annotation : type.getAnnotations()) {
            String simpleName = annotation.annotationType().getSimpleName();
            if (!simpleName.equals("JsonSerialize") && !simpleName.equals("JsonDeserialize")) {
                continue;
            }
            try {
                Object using = annotation.annotationType().getMethod("using").invoke(annotation);
                if (using instanceof Class<?> serializer && !serializer.getSimpleName().equals("None")) {
                    return true;
                }
            } catch (ReflectiveOperationException e) {
                // an annotation without `using` says nothing about the wire shape
            }
        }
        return false;
    }
}
