package io.kedge.controllers.lifecycle;

import io.kedge.controllers.framework.Informers;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kedge.controllers.framework.Controller;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.Reconciler;
import java.time.Duration;
import java.util.List;

/**
 * Gives every active namespace its {@code default} ServiceAccount, and puts it back when it is
 * deleted. Terminating namespaces are left alone: the server would refuse the create anyway.
 */
public final class ServiceAccountController implements Reconciler {
    static final String DEFAULT = "default";

    private final ControllerContext ctx;
    private final SharedIndexInformer<Namespace> namespaces;
    private final SharedIndexInformer<ServiceAccount> serviceAccounts;

    private ServiceAccountController(ControllerContext ctx, SharedIndexInformer<Namespace> namespaces,
                                     SharedIndexInformer<ServiceAccount> serviceAccounts) {
        this.ctx = ctx;
        this.namespaces = namespaces;
        this.serviceAccounts = serviceAccounts;
    }

    public static Controller create(ControllerContext ctx) {
        SharedIndexInformer<Namespace> namespaces = Informers.shared(ctx.informers(), Namespace.class);
        SharedIndexInformer<ServiceAccount> serviceAccounts = Informers.shared(ctx.informers(), ServiceAccount.class);
        Controller controller = new Controller("serviceaccount", new ServiceAccountController(ctx, namespaces, serviceAccounts), 1);
        namespaces.addEventHandler(controller.<Namespace>enqueue(ns -> List.of(ns.getMetadata().getName())));
        serviceAccounts.addEventHandler(controller.<ServiceAccount>enqueue(sa -> DEFAULT.equals(sa.getMetadata().getName())
                ? List.of(sa.getMetadata().getNamespace()) : List.of()));
        return controller;
    }

    @Override
    public Duration reconcile(String namespace) {
        Namespace ns = namespaces.getStore().getByKey(namespace);
        if (ns == null || ns.getMetadata().getDeletionTimestamp() != null
                || (ns.getStatus() != null && ns.getStatus().getPhase() != null && !"Active".equals(ns.getStatus().getPhase()))) {
            return null;
        }
        if (serviceAccounts.getStore().getByKey(namespace + "/" + DEFAULT) != null) {
            return null;
        }
        try {
            ctx.client().serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder()
                    .withNewMetadata().withName(DEFAULT).withNamespace(namespace).endMetadata().build()).create();
        } catch (KubernetesClientException e) {
            // 409: it exists and the informer has not seen it yet; 403/404: the namespace is going away
            if (e.getCode() != 409 && e.getCode() != 403 && e.getCode() != 404) {
                throw e;
            }
        }
        return null;
    }
}
