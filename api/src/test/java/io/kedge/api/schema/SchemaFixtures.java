package io.kedge.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;

/** A realistic CRD schema (the CronTab of the Kubernetes docs, grown) and YAML helpers for the tests. */
final class SchemaFixtures {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static final String CRON_TAB = """
            type: object
            properties:
              apiVersion: {type: string}
              kind: {type: string}
              metadata: {type: object}
              spec:
                type: object
                required: [cronSpec, image]
                properties:
                  cronSpec:
                    type: string
                    pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'
                  image: {type: string, maxLength: 64}
                  replicas: {type: integer, format: int32, minimum: 1, maximum: 10, default: 1}
                  port:
                    x-kubernetes-int-or-string: true
                    anyOf: [{type: integer}, {type: string}]
                    pattern: '^[a-z]+$'
                  policy: {type: string, enum: [Allow, Forbid, Replace], default: Allow}
                  config:
                    type: object
                    x-kubernetes-preserve-unknown-fields: true
                    properties:
                      mode: {type: string, default: fast}
                      tuning:
                        type: object
                        properties:
                          level: {type: integer}
                  labels:
                    type: object
                    additionalProperties: {type: string, maxLength: 8}
                  workers:
                    type: array
                    maxItems: 5
                    x-kubernetes-list-type: map
                    x-kubernetes-list-map-keys: [name]
                    items:
                      type: object
                      required: [name]
                      properties:
                        name: {type: string, minLength: 1}
                        replicas: {type: integer, minimum: 0, default: 1}
                        weight: {type: number, minimum: 0, exclusiveMinimum: true, multipleOf: 0.5}
                  tags:
                    type: array
                    x-kubernetes-list-type: set
                    items: {type: string}
                  resources:
                    type: object
                    default: {}
                    properties:
                      cpu: {type: string, default: 100m}
                  schedule: {type: string, format: date-time}
                  template:
                    type: object
                    x-kubernetes-embedded-resource: true
                    x-kubernetes-preserve-unknown-fields: true
                  suspend: {type: boolean, nullable: true}
                  note: {type: string, nullable: true, default: n/a}
              status:
                type: object
                properties:
                  replicas: {type: integer}
                  lastScheduleTime: {type: string, format: date-time}
            """;

    private SchemaFixtures() {}

    static JsonNode yaml(String text) {
        try {
            return YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode object(String text) {
        return (ObjectNode) yaml(text);
    }

    static StructuralSchema cronTab() {
        return StructuralSchema.parse(yaml(CRON_TAB));
    }

    static StructuralSchema schema(String text) {
        return StructuralSchema.parse(yaml(text));
    }

    /** A CronTab that satisfies every rule of the schema. */
    static ObjectNode validCronTab() {
        return object("""
                apiVersion: stable.example.com/v1
                kind: CronTab
                metadata: {name: my-cron, namespace: default}
                spec:
                  cronSpec: '*/5 * * * *'
                  image: my-awesome-cron-image
                  replicas: 3
                  port: http
                  policy: Forbid
                  labels: {tier: web}
                  workers:
                  - {name: a, replicas: 2, weight: 1.5}
                  - {name: b}
                  tags: [x, y]
                  schedule: '2024-05-01T10:00:00Z'
                  template:
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: p}
                    spec: {containers: []}
                  suspend: null
                status:
                  replicas: 3
                """);
    }
}
