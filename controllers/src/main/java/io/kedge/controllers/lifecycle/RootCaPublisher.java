package io.kedge.controllers.lifecycle;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kedge.controllers.framework.Controller;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.Informers;
import io.kedge.controllers.framework.Reconciler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the ConfigMap {@code kube-root-ca.crt} (key {@code ca.crt}: the CA that signed the API
 * server's certificate) in every active namespace, recreating it when deleted and restoring it
 * when edited, so that pods can verify the API server through their projected service-account
 * volume. The CA is the one this controller's own client trusts.
 */
public final class RootCaPublisher implements Reconciler {
    public static final String NAME = "kube-root-ca.crt";
    public static final String KEY = "ca.crt";
    static final String DESCRIPTION_ANNOTATION = "kubernetes.io/description";
    static final String DESCRIPTION = "Contains a CA bundle that can be used to verify the kube-apiserver when using"
            + " internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is"
            + " guaranteed across distributions of Kubernetes clusters.";
    private static final Logger LOG = LoggerFactory.getLogger(RootCaPublisher.class);

    private final ControllerContext ctx;
    private final String caPem;
    private final SharedIndexInformer<Namespace> namespaces;
    private final SharedIndexInformer<ConfigMap> configMaps;

    private RootCaPublisher(ControllerContext ctx, String caPem, SharedIndexInformer<Namespace> namespaces,
                            SharedIndexInformer<ConfigMap> configMaps) {
        this.ctx = ctx;
        this.caPem = caPem;
        this.namespaces = namespaces;
        this.configMaps = configMaps;
    }

    public static Controller create(ControllerContext ctx) {
        Optional<String> ca = caOf(ctx.client().getConfiguration());
        SharedIndexInformer<Namespace> namespaces = Informers.shared(ctx.informers(), Namespace.class);
        SharedIndexInformer<ConfigMap> configMaps = Informers.shared(ctx.informers(), ConfigMap.class);
        Controller controller = new Controller("root-ca-cert-publisher",
                ca.isPresent() ? new RootCaPublisher(ctx, ca.get(), namespaces, configMaps) : key -> null, 1);
        if (ca.isEmpty()) {
            LOG.warn("the controllers' client trusts no explicit CA: not publishing {} ConfigMaps", NAME);
            return controller;
        }
        namespaces.addEventHandler(controller.<Namespace>enqueue(ns -> List.of(ns.getMetadata().getName())));
        configMaps.addEventHandler(controller.<ConfigMap>enqueue(cm -> NAME.equals(cm.getMetadata().getName())
                ? List.of(cm.getMetadata().getNamespace()) : List.of()));
        return controller;
    }

    /** The PEM the client verifies the server with: inline data, else the file it names. */
    static Optional<String> caOf(Config config) {
        if (config.getCaCertData() != null && !config.getCaCertData().isBlank()) {
            return Optional.of(new String(Base64.getMimeDecoder().decode(config.getCaCertData()), StandardCharsets.UTF_8));
        }
        if (config.getCaCertFile() != null && !config.getCaCertFile().isBlank()) {
            try {
                return Optional.of(Files.readString(Path.of(config.getCaCertFile()), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the CA file " + config.getCaCertFile(), e);
            }
        }
        return Optional.empty();
    }

    @Override
    public Duration reconcile(String namespace) {
        Namespace ns = namespaces.getStore().getByKey(namespace);
        if (ns == null || ns.getMetadata().getDeletionTimestamp() != null
                || (ns.getStatus() != null && ns.getStatus().getPhase() != null && !"Active".equals(ns.getStatus().getPhase()))) {
            return null;
        }
        ConfigMap current = configMaps.getStore().getByKey(namespace + "/" + NAME);
        Map<String, String> data = Map.of(KEY, caPem);
        try {
            if (current == null) {
                ctx.client().configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata()
                        .withName(NAME).withNamespace(namespace).addToAnnotations(DESCRIPTION_ANNOTATION, DESCRIPTION)
                        .endMetadata().withData(data).build()).create();
                return null;
            }
            boolean annotated = current.getMetadata().getAnnotations() != null
                    && current.getMetadata().getAnnotations().get(DESCRIPTION_ANNOTATION) != null
                    && !current.getMetadata().getAnnotations().get(DESCRIPTION_ANNOTATION).isEmpty();
            if (data.equals(current.getData()) && annotated
                    && (current.getBinaryData() == null || current.getBinaryData().isEmpty())) {
                return null;
            }
            // an update carrying the cached resourceVersion: a concurrent edit makes it fail and retry
            ConfigMap repaired = new ConfigMapBuilder(current).withData(data).withBinaryData(null)
                    .editMetadata().addToAnnotations(DESCRIPTION_ANNOTATION, DESCRIPTION).endMetadata().build();
            ctx.client().configMaps().inNamespace(namespace).resource(repaired).update();
        } catch (KubernetesClientException e) {
            // 409 on create: it exists and the informer has not seen it yet; 403/404: the namespace is going away
            if (e.getCode() != 409 && e.getCode() != 403 && e.getCode() != 404) {
                throw e;
            }
            if (e.getCode() == 409 && current != null) {
                throw e;
            }
        }
        return null;
    }
}
