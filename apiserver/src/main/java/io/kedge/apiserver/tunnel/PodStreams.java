package io.kedge.apiserver.tunnel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.apiserver.http.HttpExchange;
import io.kedge.apiserver.http.ProtocolSwitch;
import io.kedge.apiserver.http.RequestInfo;
import io.kedge.apiserver.registry.GenericRegistry;
import io.kedge.apiserver.registry.ResourceType;
import io.netty.handler.codec.http.QueryStringEncoder;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code pods/log}, {@code pods/exec}, {@code pods/attach} and {@code pods/portforward}: finds the
 * pod's node and container, and forwards to the matching kubelet path through the node's tunnel.
 */
final class PodStreams {
    private static final String[] LOG_OPTIONS = {"follow", "previous", "sinceSeconds", "sinceTime", "timestamps",
            "tailLines", "limitBytes"};

    private final GenericRegistry registry;
    private final KubeletDialer kubelets;
    private final ConnectAuthorizer authorizer;

    PodStreams(GenericRegistry registry, KubeletDialer kubelets, ConnectAuthorizer authorizer) {
        this.registry = registry;
        this.kubelets = kubelets;
        this.authorizer = authorizer;
    }

    void serve(HttpExchange ex, ResourceType pods, RequestInfo info, String verb) {
        String sub = info.subresource();
        authorizer.authorize(ex.user(), verb, "pods", sub, info.namespace(), info.name());
        ObjectNode pod = registry.getOrThrow(pods, info.namespace(), info.name());
        String node = pod.path("spec").path("nodeName").asText("");
        if (node.isEmpty()) {
            throw ApiException.badRequest("pod " + info.name() + " does not have a host assigned");
        }
        String ns = info.namespace();
        switch (sub) {
            case "log" -> kubelets.forward(ex, node, "/containerLogs/" + ns + "/" + info.name() + "/"
                    + container(ex, pod, info.name()) + query(ex, LOG_OPTIONS), KubeletExchange.Errors.AS_STATUS);
            case "exec" -> {
                requireUpgrade(ex);
                if (ex.params("command").isEmpty()) {
                    throw ApiException.badRequest("you must specify at least one command for the container");
                }
                kubelets.forward(ex, node, "/exec/" + ns + "/" + info.name() + "/" + container(ex, pod, info.name())
                        + streams(ex, true), KubeletExchange.Errors.AS_STATUS);
            }
            case "attach" -> {
                requireUpgrade(ex);
                kubelets.forward(ex, node, "/attach/" + ns + "/" + info.name() + "/" + container(ex, pod, info.name())
                        + streams(ex, false), KubeletExchange.Errors.AS_STATUS);
            }
            case "portforward" -> {
                requireUpgrade(ex);
                // PodPortForwardOptions' ports become the kubelet's port parameters, which WebSocket port-forward reads
                QueryStringEncoder ports = new QueryStringEncoder("");
                for (String p : ex.params("ports")) {
                    for (String one : p.split(",")) {
                        if (!one.isBlank()) {
                            ports.addParam("port", one.trim());
                        }
                    }
                }
                kubelets.forward(ex, node, "/portForward/" + ns + "/" + info.name() + ports, KubeletExchange.Errors.AS_STATUS);
            }
            default -> throw ApiException.notFound("pods/" + sub + " is not a stream subresource");
        }
    }

    private static void requireUpgrade(HttpExchange ex) {
        if (!ProtocolSwitch.upgradeRequested(ex)) {
            throw ApiException.badRequest("Upgrade request required: use SPDY/3.1 or a WebSocket stream protocol");
        }
    }

    /** The named container, or the only one; with several and none named, the user has to choose. */
    static String container(HttpExchange ex, JsonNode pod, String podName) {
        List<String> containers = names(pod.path("spec").path("containers"));
        List<String> init = names(pod.path("spec").path("initContainers"));
        List<String> ephemeral = names(pod.path("spec").path("ephemeralContainers"));
        String wanted = ex.param("container");
        if (wanted == null || wanted.isEmpty()) {
            if (containers.size() == 1) {
                return containers.get(0);
            }
            throw ApiException.badRequest("a container name must be specified for pod " + podName + ", choose one of: "
                    + bracketed(containers) + (init.isEmpty() ? "" : " or one of the init containers: " + bracketed(init))
                    + (ephemeral.isEmpty() ? "" : " or one of the ephemeral containers: " + bracketed(ephemeral)));
        }
        if (!containers.contains(wanted) && !init.contains(wanted) && !ephemeral.contains(wanted)) {
            throw ApiException.badRequest("container " + wanted + " is not valid for pod " + podName);
        }
        return wanted;
    }

    private static List<String> names(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(c -> out.add(c.path("name").asText()));
        return out;
    }

    /** Lists print as {@code [a b]}, the form users know from upstream's messages. */
    private static String bracketed(List<String> names) {
        return "[" + String.join(" ", names) + "]";
    }

    private static String query(HttpExchange ex, String... names) {
        QueryStringEncoder q = new QueryStringEncoder("");
        for (String n : names) {
            for (String v : ex.params(n)) {
                q.addParam(n, v);
            }
        }
        return q.toString();
    }

    /** Exec and attach options under the names kubelets read ({@code input}, {@code output}, {@code error}). */
    private static String streams(HttpExchange ex, boolean withCommand) {
        boolean stdin = ex.flag("stdin");
        boolean stdout = ex.flag("stdout");
        boolean stderr = ex.flag("stderr");
        if (!stdin && !stdout && !stderr) {
            throw ApiException.badRequest("you must specify at least 1 of stdin, stdout, stderr");
        }
        QueryStringEncoder q = new QueryStringEncoder("");
        if (withCommand) {
            ex.params("command").forEach(c -> q.addParam("command", c));
        }
        if (stdin) q.addParam("input", "1");
        if (stdout) q.addParam("output", "1");
        if (stderr) q.addParam("error", "1");
        if (ex.flag("tty")) q.addParam("tty", "1");
        return q.toString();
    }
}
