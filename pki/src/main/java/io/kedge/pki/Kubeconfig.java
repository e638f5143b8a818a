package io.kedge.pki;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Optional;

/**
 * A kubeconfig with one cluster, one user and one context, all under the same name, and that context current.
 * The user authenticates with a client certificate, a bearer token, or both.
 */
public final class Kubeconfig {
    public static final String DEFAULT_NAME = "kedge";

    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build());

    private final String name;
    private final String server;
    private final X509Certificate certificateAuthority;
    private final IssuedCertificate clientCertificate;
    private final String token;

    private Kubeconfig(String name, String server, X509Certificate certificateAuthority,
                       IssuedCertificate clientCertificate, String token) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("kubeconfig entry name must not be empty");
        }
        if (server == null || server.isBlank()) {
            throw new IllegalArgumentException("kubeconfig server URL must not be empty");
        }
        if (token != null && token.isBlank()) {
            throw new IllegalArgumentException("kubeconfig token must not be blank");
        }
        this.name = name;
        this.server = server;
        this.certificateAuthority = certificateAuthority;
        this.clientCertificate = clientCertificate;
        this.token = token;
    }

    public static Kubeconfig withClientCertificate(String server, X509Certificate certificateAuthority,
                                                   IssuedCertificate client) {
        if (client == null) {
            throw new IllegalArgumentException("client certificate must not be null");
        }
        return new Kubeconfig(DEFAULT_NAME, server, requireCa(certificateAuthority), client, null);
    }

    public static Kubeconfig withToken(String server, X509Certificate certificateAuthority, String token) {
        if (token == null) {
            throw new IllegalArgumentException("token must not be null");
        }
        return new Kubeconfig(DEFAULT_NAME, server, requireCa(certificateAuthority), null, token);
    }

    /** The same kubeconfig with its cluster, user and context called {@code newName}. */
    public Kubeconfig named(String newName) {
        return new Kubeconfig(newName, server, certificateAuthority, clientCertificate, token);
    }

    /** {@code https://host:port}, with an IPv6 literal in brackets. */
    public static String serverUrl(String host, int port) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("server host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("server port out of range: " + port);
        }
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "https://" + h + ":" + port;
    }

    public String name() {
        return name;
    }

    public String server() {
        return server;
    }

    public Optional<X509Certificate> certificateAuthority() {
        return Optional.ofNullable(certificateAuthority);
    }

    public Optional<IssuedCertificate> clientCertificate() {
        return Optional.ofNullable(clientCertificate);
    }

    public Optional<String> token() {
        return Optional.ofNullable(token);
    }

    public String toYaml() {
        ObjectNode root = YAML.createObjectNode();
        root.put("apiVersion", "v1");
        root.put("kind", "Config");
        ObjectNode cluster = root.putArray("clusters").addObject().put("name", name).putObject("cluster");
        cluster.put("server", server);
        if (certificateAuthority != null) {
            cluster.put("certificate-authority-data", base64(PemFiles.encode(certificateAuthority)));
        }
        ObjectNode user = root.putArray("users").addObject().put("name", name).putObject("user");
        if (clientCertificate != null) {
            user.put("client-certificate-data", base64(clientCertificate.certPem()));
            user.put("client-key-data", base64(PemFiles.encodeTraditional(clientCertificate.key())));
        }
        if (token != null) {
            user.put("token", token);
        }
        root.putArray("contexts").addObject().put("name", name).putObject("context")
                .put("cluster", name).put("user", name);
        root.put("current-context", name);
        root.putObject("preferences");
        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new PkiException("cannot write kubeconfig: " + e.getMessage(), e);
        }
    }

    /** Writes the kubeconfig with mode 0600: it holds a private key or token. */
    public void write(Path file) throws IOException {
        SecureFiles.writePrivate(file, toYaml().getBytes(StandardCharsets.UTF_8));
    }

    /** Reads the current context; file references ({@code client-key: path}) resolve against the file's directory. */
    public static Kubeconfig read(Path file) throws IOException {
        String yaml = Files.readString(file, StandardCharsets.UTF_8);
        Path base = file.toAbsolutePath().getParent();
        return new KubeconfigReader(file.toString(), base).read(yaml);
    }

    /** Parses kubeconfig text; relative file references resolve against the working directory. */
    public static Kubeconfig parse(String yaml, String source) throws IOException {
        return new KubeconfigReader(source, Path.of("").toAbsolutePath()).read(yaml);
    }

    private static X509Certificate requireCa(X509Certificate ca) {
        if (ca == null) {
            throw new IllegalArgumentException("CA certificate must not be null");
        }
        return ca;
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }

    /** Resolves the current context to its cluster and user entries. */
    private static final class KubeconfigReader {
        private final String source;
        private final Path base;

        KubeconfigReader(String source, Path base) {
            this.source = source;
            this.base = base;
        }

        Kubeconfig read(String yaml) throws IOException {
            JsonNode root;
            try {
                root = YAML.readTree(yaml);
            } catch (JsonProcessingException e) {
                throw new PkiException(source + ": not valid YAML: " + e.getOriginalMessage(), e);
            }
            if (root == null || !root.isObject()) {
                throw new PkiException(source + ": not a kubeconfig (expected a YAML mapping)");
            }
            String contextName = text(root, "current-context");
            if (contextName == null) {
                JsonNode contexts = root.path("contexts");
                if (contexts.size() != 1) {
                    throw new PkiException(source + ": no current-context set and " + contexts.size()
                            + " contexts to choose from");
                }
                contextName = text(contexts.get(0), "name");
            }
            JsonNode context = entry(root, "contexts", contextName, "context");
            String clusterName = text(context, "cluster");
            String userName = text(context, "user");
            if (clusterName == null || userName == null) {
                throw new PkiException(source + ": context '" + contextName + "' needs both cluster and user");
            }
            JsonNode cluster = entry(root, "clusters", clusterName, "cluster");
            JsonNode user = entry(root, "users", userName, "user");
            String server = text(cluster, "server");
            if (server == null) {
                throw new PkiException(source + ": cluster '" + clusterName + "' has no server");
            }
            checkUrl(server);
            String caPem = material(cluster, "certificate-authority", "cluster '" + clusterName + "'");
            X509Certificate ca = caPem == null ? null
                    : PemFiles.parseCertificate(caPem, source + ": cluster '" + clusterName + "' CA");
            return new Kubeconfig(contextName, server, ca, clientCertificate(user, userName), text(user, "token"));
        }

        private IssuedCertificate clientCertificate(JsonNode user, String userName) throws IOException {
            String where = "user '" + userName + "'";
            String certPem = material(user, "client-certificate", where);
            String keyPem = material(user, "client-key", where);
            if (certPem == null && keyPem == null) {
                return null;
            }
            if (certPem == null || keyPem == null) {
                throw new PkiException(source + ": " + where + " has a client "
                        + (certPem == null ? "key but no certificate" : "certificate but no key"));
            }
            X509Certificate cert = PemFiles.parseCertificate(certPem, source + ": " + where + " client certificate");
            PrivateKey key = PemFiles.parsePrivateKey(keyPem, source + ": " + where + " client key");
            if (!Keys.matches(key, cert.getPublicKey())) {
                throw new PkiException(source + ": " + where + " client key does not match its client certificate");
            }
            return new IssuedCertificate(cert, key);
        }

        /** The PEM text of {@code field-data} (base64) or of the file named by {@code field}. */
        private String material(JsonNode node, String field, String where) throws IOException {
            String data = text(node, field + "-data");
            if (data != null) {
                try {
                    byte[] pem = Base64.getDecoder().decode(data.replaceAll("\\s", ""));
                    return new String(pem, StandardCharsets.ISO_8859_1);
                } catch (IllegalArgumentException e) {
                    throw new PkiException(source + ": " + where + " " + field + "-data is not base64: "
                            + e.getMessage(), e);
                }
            }
            String file = text(node, field);
            return file == null ? null : PemFiles.readText(base.resolve(file));
        }

        private JsonNode entry(JsonNode root, String list, String name, String field) {
            for (JsonNode item : root.path(list)) {
                if (name.equals(text(item, "name"))) {
                    JsonNode value = item.get(field);
                    if (value == null || !value.isObject()) {
                        throw new PkiException(source + ": " + list + " entry '" + name + "' has no " + field);
                    }
                    return value;
                }
            }
            throw new PkiException(source + ": no entry named '" + name + "' in " + list);
        }

        private void checkUrl(String server) {
            try {
                URI uri = new URI(server);
                if (uri.getScheme() == null || uri.getHost() == null) {
                    throw new PkiException(source + ": server '" + server + "' is not an absolute URL");
                }
            } catch (URISyntaxException e) {
                throw new PkiException(source + ": server '" + server + "' is not a URL: " + e.getMessage(), e);
            }
        }

        private static String text(JsonNode node, String field) {
            JsonNode value = node == null ? null : node.get(field);
            return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
        }
    }
}
