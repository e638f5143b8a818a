package io.kedge.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kedge agent status}: what the node's hub says about the node's link to the cloud, read
 * from its metrics on loopback, so that an operator on site sees at once whether the node is
 * cut off, since when, and how many of its writes wait for the cloud.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows the node's link to the cloud, as its hub sees it: reachable or not and since when, node writes "
                + "waiting to be replayed, the cache, and local watches. Exit status: 0 reachable, 1 unreachable, "
                + "3 no hub answering.")
final class AgentStatusCommand implements Callable<Integer> {
    @Option(names = "--hub", defaultValue = "http://127.0.0.1:10261", paramLabel = "URL",
            description = "The node's hub (default: ${DEFAULT-VALUE}).")
    URI hub;

    @Override
    public Integer call() {
        String metrics;
        try {
            HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()
                    .send(HttpRequest.newBuilder(hub.resolve("/metrics")).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                System.err.println("kedge agent status: the hub at " + hub + " answered " + r.statusCode() + " for /metrics");
                return 3;
            }
            metrics = r.body();
        } catch (IOException e) {
            System.err.println("kedge agent status: no hub answers at " + hub + " (" + e.getMessage()
                    + "); is `kedge agent` running on this node?");
            return 3;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 3;
        }
        Status status = Status.parse(metrics);
        System.out.print(status.render(hub, java.time.Instant.now()));
        return status.cloudHealthy() ? 0 : 1;
    }

    /**
     * The hub's {@code kedge_hub_*} samples, by name.
     *
     * @param certificateAction what an operator must do about the node's certificate, or null
     */
    record Status(Map<String, Double> samples, String certificateAction) {
        private static final String ACTION = "kedge_hub_client_certificate_action_needed{message=\"";

        static Status parse(String metricsText) {
            Map<String, Double> samples = new HashMap<>();
            String action = null;
            for (String line : metricsText.split("\n")) {
                if (line.startsWith(ACTION)) {
                    action = labelValue(line.substring(ACTION.length()));
                    continue;
                }
                if (line.startsWith("#") || !line.startsWith("kedge_hub_")) {
                    continue;
                }
                String[] f = line.trim().split("\\s+");
                String name = f[0].contains("{") ? f[0].substring(0, f[0].indexOf('{')) : f[0];
                try {
                    samples.merge(name, Double.parseDouble(f[1]), Double::sum);
                } catch (RuntimeException skipped) {
                    // a line of another shape: not one the status shows
                }
            }
            return new Status(samples, action);
        }

        /** A Prometheus label value up to its closing quote, with its escapes undone. */
        private static String labelValue(String quoted) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < quoted.length(); i++) {
                char c = quoted.charAt(i);
                if (c == '"') {
                    break;
                }
                if (c == '\\' && i + 1 < quoted.length()) {
                    char next = quoted.charAt(++i);
                    out.append(next == 'n' ? '\n' : next);
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }

        boolean cloudHealthy() {
            return value("kedge_hub_cloud_healthy") >= 1;
        }

        String render(URI hub, java.time.Instant now) {
            // the metric is when the state began, in seconds since the epoch
            long since = Math.max(0, now.getEpochSecond() - (long) value("kedge_hub_cloud_state_since_seconds"));
            return String.format(Locale.ROOT, """
                    hub:       %s
                    cloud:     %s for %s (%d state changes)
                    journal:   %d node writes waiting for the cloud
                    cache:     %d objects in %d list shapes, %s on disk
                    watches:   %d open by local clients
                    upstream:  %s received, %s sent
                    """, hub, cloudHealthy() ? "reachable" : "UNREACHABLE", duration(since),
                    (long) value("kedge_hub_cloud_state_changes_total", "kedge_hub_cloud_state_changes"),
                    (long) value("kedge_hub_journal_depth"), (long) value("kedge_hub_cache_objects"),
                    (long) value("kedge_hub_cache_shapes"), bytes(value("kedge_hub_cache_bytes")),
                    (long) value("kedge_hub_watches"),
                    bytes(value("kedge_hub_upstream_received_bytes_total", "kedge_hub_upstream_received_bytes")),
                    bytes(value("kedge_hub_upstream_sent_bytes_total", "kedge_hub_upstream_sent_bytes")))
                    + certificate(now);
        }

        /** The node's client certificate: until when, when last rotated, and what to do when the node cannot renew it. */
        private String certificate(java.time.Instant now) {
            Double notAfter = samples.get("kedge_hub_client_certificate_not_after_seconds");
            StringBuilder out = new StringBuilder();
            if (notAfter != null) {
                java.time.Instant until = java.time.Instant.ofEpochSecond(notAfter.longValue());
                out.append("cert:      ").append(until.isAfter(now)
                        ? "valid until " + until + " (" + duration(until.getEpochSecond() - now.getEpochSecond()) + " left)"
                        : "EXPIRED at " + until);
                Double rotated = samples.get("kedge_hub_client_certificate_last_rotation_seconds");
                out.append(rotated == null ? ", not rotated since the agent started"
                        : ", last rotated " + java.time.Instant.ofEpochSecond(rotated.longValue())).append('\n');
            }
            if (certificateAction != null) {
                out.append("ACTION:    ").append(certificateAction).append('\n');
            }
            return out.toString();
        }

        private double value(String... names) {
            for (String name : names) {
                Double v = samples.get(name);
                if (v != null) {
                    return v;
                }
            }
            return 0;
        }

        static String duration(long seconds) {
            if (seconds < 120) {
                return seconds + "s";
            }
            if (seconds < 3600) {
                return (seconds / 60) + "m" + (seconds % 60) + "s";
            }
            return (seconds / 3600) + "h" + (seconds % 3600 / 60) + "m";
        }

        static String bytes(double b) {
            if (b < 1024) {
                return (long) b + " B";
            }
            if (b < 1024 * 1024) {
                return String.format(Locale.ROOT, "%.1f KiB", b / 1024);
            }
            return String.format(Locale.ROOT, "%.1f MiB", b / (1024 * 1024));
        }
    }
}
