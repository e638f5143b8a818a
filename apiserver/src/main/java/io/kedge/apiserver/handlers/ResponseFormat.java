package io.kedge.apiserver.handlers;

import io.kedge.api.ApiException;

/**
 * What the client asked to receive, from its Accept header: plain JSON, a Table, or object
 * metadata only. JSON is always acceptable as the last resort, as upstream treats it.
 */
public enum ResponseFormat {
    JSON, YAML, TABLE, PARTIAL_METADATA;

    public static ResponseFormat of(String accept) {
        if (accept == null || accept.isBlank()) {
            return JSON;
        }
        boolean jsonOk = false;
        boolean yamlOk = false;
        for (String part : accept.split(",")) {
            String p = part.trim().toLowerCase();
            String media = p.contains(";") ? p.substring(0, p.indexOf(';')).trim() : p;
            boolean json = media.equals("application/json") || media.equals("*/*") || media.equals("application/*");
            if (json && p.contains("as=table") && p.contains("g=meta.k8s.io")) {
                return TABLE;
            }
            if (json && p.contains("as=partialobjectmetadata") && p.contains("g=meta.k8s.io")) {
                return PARTIAL_METADATA;
            }
            if (json && !p.contains("as=")) {
                jsonOk = true;
            }
            if (media.equals("application/yaml")) {
                yamlOk = true;
            }
        }
        if (jsonOk) {
            return JSON;
        }
        if (yamlOk) {
            return YAML;
        }
        throw ApiException.notAcceptable("only the following media types are accepted: application/json, "
                + "application/yaml, application/json;as=Table;v=v1;g=meta.k8s.io");
    }
}
