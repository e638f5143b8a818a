package io.kedge.api.table;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.kedge.api.Json;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;

/** Test objects written as YAML, and the fixed clock the tests read ages against. */
final class Objects {
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private Objects() {}

    static JsonNode yaml(String text) {
        try {
            return Json.YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An RFC 3339 timestamp that lies this long before {@link #NOW}. */
    static String ago(Duration d) {
        return NOW.minus(d).toString();
    }
}
