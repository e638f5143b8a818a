package io.kedge.controllers.scheduler;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Binds pods through {@code POST /api/v1/namespaces/NS/pods/NAME/binding}, asynchronously, so that
 * the scheduling thread moves on to the next pod while the API server writes this one (fabric8 has
 * no DSL for the pods/binding subresource; its HTTP client carries the same credentials).
 */
final class PodBinder {
    /** A binding that hangs must not keep its pod assumed on a node for ever. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final KubernetesClient client;
    private final String base;

    PodBinder(KubernetesClient client) {
        this.client = client;
        String master = client.getMasterUrl().toString();
        this.base = master.endsWith("/") ? master : master + "/";
    }

    /** Completes normally once the API server accepted the binding, exceptionally with a {@link BindingException} otherwise. */
    CompletableFuture<Void> bind(Pod pod, String nodeName) {
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        Binding binding = new BindingBuilder()
                .withNewMetadata().withName(name).withNamespace(ns).withUid(pod.getMetadata().getUid()).endMetadata()
                .withNewTarget().withApiVersion("v1").withKind("Node").withName(nodeName).endTarget()
                .build();
        HttpRequest request = client.getHttpClient().newHttpRequestBuilder()
                .uri(URI.create(base + "api/v1/namespaces/" + ns + "/pods/" + name + "/binding"))
                .post("application/json", client.getKubernetesSerialization().asJson(binding))
                .timeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .build();
        return client.getHttpClient().sendAsync(request, String.class).thenApply(response -> {
            if (!response.isSuccessful()) {
                throw new BindingException(response.code(), "binding pod " + ns + "/" + name + " to node " + nodeName
                        + " failed: HTTP " + response.code() + ": " + statusMessage(response.body()));
            }
            return null;
        });
    }

    private String statusMessage(String body) {
        if (body == null || body.isBlank()) {
            return "(no body)";
        }
        try {
            Status s = client.getKubernetesSerialization().unmarshal(body, Status.class);
            return s.getMessage() == null ? body : s.getMessage();
        } catch (RuntimeException e) {
            return body;
        }
    }

    /** A binding the API server refused; {@link #code()} is its HTTP status. */
    static final class BindingException extends RuntimeException {
        private final int code;

        BindingException(int code, String message) {
            super(message);
            this.code = code;
        }

        int code() {
            return code;
        }
    }
}
