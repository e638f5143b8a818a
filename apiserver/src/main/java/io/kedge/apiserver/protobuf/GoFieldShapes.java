package io.kedge.apiserver.protobuf;

import com.google.protobuf.Descriptors.FieldDescriptor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * How the Go structs behind the messages shape their JSON, where the descriptors cannot tell:
 * which zero scalars still appear, which embedded structs flatten, which names differ.
 * The facts come from {@code go-field-shapes.txt} beside this class.
 */
final class GoFieldShapes {
    static final String RESOURCE = "go-field-shapes.txt";

    private final Set<String> zeroWritten = new HashSet<>();
    private final Set<String> inline = new HashSet<>();
    private final Map<String, String> jsonNames = new HashMap<>();

    private GoFieldShapes() {}

    static GoFieldShapes load() {
        try (InputStream in = GoFieldShapes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath beside "
                        + GoFieldShapes.class.getName());
            }
            GoFieldShapes shapes = new GoFieldShapes();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                shapes.add(line.strip(), number);
            }
            return shapes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    private void add(String line, int number) {
        if (line.isEmpty() || line.startsWith("#")) {
            return;
        }
        String[] words = line.split("\\s+");
        boolean wellFormed = switch (words[0]) {
            case "zero" -> words.length >= 3;
            case "inline" -> words.length == 3;
            case "rename" -> words.length == 4;
            default -> false;
        };
        if (!wellFormed) {
            throw new IllegalStateException(RESOURCE + " line " + number + " is not a zero, inline or rename entry: " + line);
        }
        switch (words[0]) {
            case "zero" -> {
                for (int i = 2; i < words.length; i++) {
                    zeroWritten.add(words[1] + "." + words[i]);
                }
            }
            case "inline" -> inline.add(words[1] + "." + words[2]);
            default -> jsonNames.put(words[1] + "." + words[2], words[3]);
        }
    }

    /** Pointer fields and fields without omitempty: a zero value on the wire was set on purpose. */
    boolean writesZero(FieldDescriptor field) {
        return zeroWritten.contains(field.getFullName());
    }

    boolean isInline(FieldDescriptor field) {
        return inline.contains(field.getFullName());
    }

    String jsonName(FieldDescriptor field) {
        return jsonNames.getOrDefault(field.getFullName(), field.getName());
    }

    /** Every message.field the resource names, for checking it against the descriptors. */
    Set<String> allFieldNames() {
        Set<String> all = new HashSet<>(zeroWritten);
        all.addAll(inline);
        all.addAll(jsonNames.keySet());
        return all;
    }
}
