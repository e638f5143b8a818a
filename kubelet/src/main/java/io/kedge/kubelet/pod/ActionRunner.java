package io.kedge.kubelet.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ExecAction;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import io.kedge.kubelet.cri.CriException;
import io.kedge.kubelet.cri.CriRuntime;
import io.kedge.kubelet.cri.v1.ExecSyncResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Runs the actions of probes and lifecycle hooks: exec in the container through CRI, and HTTP GET
 * or a TCP connect to the pod's IP from the agent, which runs in the node's network namespace
 * where pod IPs are routed to the CNI bridge. Like upstream, HTTPS probes do not verify the
 * certificate, and any status from 200 to 399 is a success.
 */
final class ActionRunner {
    /** The outcome of one action; the message says why it failed. */
    record Outcome(boolean success, String message) {
        static Outcome ok() {
            return new Outcome(true, "");
        }

        static Outcome failed(String message) {
            return new Outcome(false, message);
        }
    }

    private final CriRuntime cri;

    ActionRunner(CriRuntime cri) {
        this.cri = cri;
    }

    Outcome probe(Container c, String containerId, String podIp, Probe p) {
        Duration timeout = Duration.ofSeconds(p.getTimeoutSeconds() == null || p.getTimeoutSeconds() < 1 ? 1 : p.getTimeoutSeconds());
        if (p.getExec() != null) {
            return exec(containerId, p.getExec(), timeout);
        }
        if (p.getHttpGet() != null) {
            return httpGet(c, p.getHttpGet(), podIp, timeout);
        }
        if (p.getTcpSocket() != null) {
            return tcp(c, p.getTcpSocket(), podIp, timeout);
        }
        if (p.getGrpc() != null) {
            return Outcome.failed("gRPC probes are not supported by kedge's kubelet");
        }
        return Outcome.failed("probe has no action");
    }

    Outcome hook(Container c, String containerId, String podIp, LifecycleHandler h, Duration timeout) {
        if (h.getExec() != null) {
            return exec(containerId, h.getExec(), timeout);
        }
        if (h.getHttpGet() != null) {
            return httpGet(c, h.getHttpGet(), podIp, timeout);
        }
        if (h.getTcpSocket() != null) {
            return tcp(c, h.getTcpSocket(), podIp, timeout);
        }
        if (h.getSleep() != null && h.getSleep().getSeconds() != null) {
            try {
                Thread.sleep(Math.min(timeout.toMillis(), h.getSleep().getSeconds() * 1000));
                return Outcome.ok();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.failed("interrupted");
            }
        }
        return Outcome.failed("lifecycle handler has no action");
    }

    private Outcome exec(String containerId, ExecAction exec, Duration timeout) {
        List<String> command = exec.getCommand() == null ? List.of() : exec.getCommand();
        if (command.isEmpty()) {
            return Outcome.failed("exec action has no command");
        }
        try {
            ExecSyncResponse r = cri.execSync(containerId, command, timeout);
            if (r.getExitCode() == 0) {
                return Outcome.ok();
            }
            String out = (r.getStdout().toString(StandardCharsets.UTF_8) + r.getStderr().toString(StandardCharsets.UTF_8)).strip();
            return Outcome.failed("command " + command + " exited with " + r.getExitCode() + (out.isEmpty() ? "" : ": " + out));
        } catch (CriException e) {
            return Outcome.failed("command " + command + " failed: " + e.getMessage());
        }
    }

    private Outcome httpGet(Container c, HTTPGetAction a, String podIp, Duration timeout) {
        String host = a.getHost() != null && !a.getHost().isEmpty() ? a.getHost() : podIp;
        if (host == null || host.isEmpty()) {
            return Outcome.failed("the pod has no IP yet");
        }
        int port;
        try {
            port = port(c, a.getPort());
        } catch (IllegalArgumentException e) {
            return Outcome.failed(e.getMessage());
        }
        String scheme = "HTTPS".equalsIgnoreCase(a.getScheme()) ? "https" : "http";
        String path = a.getPath() == null || a.getPath().isEmpty() ? "/" : a.getPath().startsWith("/") ? a.getPath() : "/" + a.getPath();
        URI uri;
        try {
            uri = URI.create(scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + path);
        } catch (IllegalArgumentException e) {
            return Outcome.failed("bad probe URL: " + e.getMessage());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET()
                .header("User-Agent", "kube-probe/kedge");
        if (a.getHttpHeaders() != null) {
            for (HTTPHeader h : a.getHttpHeaders()) {
                try {
                    request.setHeader(h.getName(), h.getValue());
                } catch (IllegalArgumentException restricted) {
                    // the JDK client refuses some headers (Host, Connection); the probe goes on without them
                }
            }
        }
        try {
            HttpClient client = scheme.equals("https") ? HTTPS : HTTP;
            HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
            int code = response.statusCode();
            return code >= 200 && code < 400 ? Outcome.ok() : Outcome.failed("HTTP probe failed with statuscode: " + code);
        } catch (IOException e) {
            return Outcome.failed("Get \"" + uri + "\": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.failed("interrupted");
        }
    }

    private Outcome tcp(Container c, TCPSocketAction a, String podIp, Duration timeout) {
        String host = a.getHost() != null && !a.getHost().isEmpty() ? a.getHost() : podIp;
        if (host == null || host.isEmpty()) {
            return Outcome.failed("the pod has no IP yet");
        }
        try (Socket s = new Socket()) {
            int port = port(c, a.getPort());
            s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            return Outcome.ok();
        } catch (IOException | IllegalArgumentException e) {
            return Outcome.failed("dial tcp " + host + ": " + e.getMessage());
        }
    }

    /** A probe's port: a number, or the name of one of the container's ports. */
    static int port(Container c, IntOrString port) {
        if (port == null) {
            throw new IllegalArgumentException("probe has no port");
        }
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        String name = port.getStrVal();
        if (c.getPorts() != null) {
            for (ContainerPort p : c.getPorts()) {
                if (name.equals(p.getName()) && p.getContainerPort() != null) {
                    return p.getContainerPort();
                }
            }
        }
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("container \"" + c.getName() + "\" has no port named \"" + name + "\"");
        }
    }

    /** Shared by all probes; each request carries its probe's timeout. */
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static final HttpClient HTTPS = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .sslContext(trustAll()).build();

    private static SSLContext trustAll() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException("no TLS context for HTTPS probes", e);
        }
    }
}
