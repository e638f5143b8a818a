package io.kedge.kubelet.volume;

import io.fabric8.kubernetes.api.model.ConfigMapVolumeSource;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kedge.kubelet.ContainerConfigException;
import io.kedge.kubelet.PodVolumes;
import io.kedge.kubelet.env.ConfigObjects;
import io.kedge.kubelet.env.ConfigSources;
import io.kedge.kubelet.env.DirectConfigObjects;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pods' volumes on the node's disk, under {@code DATA_DIR/pods/<uid>/volumes/<plugin>/<name>}
 * with upstream's plugin directory names ({@code kubernetes.io~empty-dir}, {@code ~configmap},
 * {@code ~secret}, {@code ~downward-api}, {@code ~projected}); hostPath volumes are the host's path.
 *
 * <p>configMap, secret, downwardAPI and projected volumes are written with {@link AtomicWriter},
 * re-read on every {@link #setUp}, and so follow their objects. Secrets are written to the data
 * dir's disk, not to a tmpfs as upstream does. An emptyDir with {@code medium: Memory} is a tmpfs
 * of its {@code sizeLimit} (or the kernel's default size), which needs the agent to run as root.
 */
public final class VolumeManager implements PodVolumes {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeManager.class);
    private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final KubernetesClient client;
    private volatile ConfigObjects objects;
    private final Path podsDir;
    private final Map<String, Quantity> nodeAllocatable;
    private final String nodeIp;
    private final ServiceAccountTokens tokens;
    private final Map<String, Object> podLocks = new ConcurrentHashMap<>();

    /**
     * @param nodeAllocatable what a {@code limits.*} resourceFieldRef reports for a container without that limit
     * @param nodeIp          the host IP a downward API file reports while the pod's status has none; may be null
     */
    public VolumeManager(KubernetesClient client, Path dataDir, Map<String, Quantity> nodeAllocatable, String nodeIp) {
        this(client, dataDir, nodeAllocatable, nodeIp, Clock.systemUTC());
    }

    VolumeManager(KubernetesClient client, Path dataDir, Map<String, Quantity> nodeAllocatable, String nodeIp, Clock clock) {
        this.client = client;
        this.objects = new DirectConfigObjects(client);
        this.podsDir = dataDir.toAbsolutePath().resolve("pods");
        this.nodeAllocatable = Map.copyOf(nodeAllocatable);
        this.nodeIp = nodeIp;
        this.tokens = new ServiceAccountTokens(client, clock, dataDir.toAbsolutePath().resolve("tokens"));
    }

    /** Where a pod's volumes live: {@code DATA_DIR/pods/<uid>/volumes}. */
    public Path volumesDir(String podUid) throws ContainerConfigException {
        return podsDir.resolve(checkUid(podUid)).resolve("volumes");
    }

    /** Reads ConfigMaps and Secrets from {@code objects} from now on (by default, a GET each). */
    public VolumeManager readingFrom(ConfigObjects objects) {
        this.objects = objects;
        return this;
    }

    @Override
    public Map<String, Path> setUp(Pod pod) throws ContainerConfigException {
        if (pod.getMetadata() == null || pod.getSpec() == null) {
            throw new ContainerConfigException("the pod has no metadata or spec");
        }
        String uid = checkUid(pod.getMetadata().getUid());
        synchronized (podLocks.computeIfAbsent(uid, k -> new Object())) {
            ConfigSources sources = new ConfigSources(objects);
            Map<String, Path> paths = new LinkedHashMap<>();
            for (Volume v : pod.getSpec().getVolumes() == null ? List.<Volume>of() : pod.getSpec().getVolumes()) {
                paths.put(v.getName(), setUp(pod, v, sources));
            }
            return paths;
        }
    }

    private Path setUp(Pod pod, Volume v, ConfigSources sources) throws ContainerConfigException {
        String name = v.getName();
        if (name == null || !SAFE_SEGMENT.matcher(name).matches()) {
            throw new ContainerConfigException("volume name \"" + name + "\" is not a valid name");
        }
        Path volumes = volumesDir(pod.getMetadata().getUid());
        String namespace = pod.getMetadata().getNamespace();
        if (v.getEmptyDir() != null) {
            return emptyDir(volumes.resolve("kubernetes.io~empty-dir").resolve(name), name, v.getEmptyDir());
        }
        if (v.getHostPath() != null) {
            return HostPathCheck.prepare(name, v.getHostPath());
        }
        if (v.getConfigMap() != null) {
            ConfigMapVolumeSource cm = v.getConfigMap();
            return write(volumes.resolve("kubernetes.io~configmap").resolve(name), ObjectPayloads.configMap(sources, namespace,
                    cm.getName(), cm.getItems(), Modes.orDefault(cm.getDefaultMode(), Modes.DEFAULT_FILE_MODE), isTrue(cm.getOptional())));
        }
        if (v.getSecret() != null) {
            SecretVolumeSource s = v.getSecret();
            return write(volumes.resolve("kubernetes.io~secret").resolve(name), ObjectPayloads.secret(sources, namespace,
                    s.getSecretName(), s.getItems(), Modes.orDefault(s.getDefaultMode(), Modes.DEFAULT_FILE_MODE), isTrue(s.getOptional())));
        }
        if (v.getDownwardAPI() != null) {
            return write(volumes.resolve("kubernetes.io~downward-api").resolve(name), DownwardApiPayload.files(pod,
                    v.getDownwardAPI().getItems(), Modes.orDefault(v.getDownwardAPI().getDefaultMode(), Modes.DEFAULT_FILE_MODE),
                    nodeAllocatable, nodeIp));
        }
        if (v.getProjected() != null) {
            return write(volumes.resolve("kubernetes.io~projected").resolve(name),
                    ProjectedPayload.files(pod, name, v.getProjected(), sources, tokens, nodeAllocatable, nodeIp));
        }
        throw new ContainerConfigException("volume \"" + name + "\" is of a type kedge's kubelet does not support "
                + "(supported: emptyDir, hostPath, configMap, secret, downwardAPI, projected)");
    }

    private static Path write(Path dir, Map<String, FileContent> files) throws ContainerConfigException {
        AtomicWriter.write(dir, files);
        return dir;
    }

    private static Path emptyDir(Path dir, String name, EmptyDirVolumeSource source) throws ContainerConfigException {
        String medium = source.getMedium() == null ? "" : source.getMedium();
        if (!medium.isEmpty() && !medium.equals("Memory")) {
            throw new ContainerConfigException("emptyDir volume \"" + name + "\" has medium " + medium
                    + ", which kedge's kubelet does not support (only the default and Memory)");
        }
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                // upstream emptyDirs are world-writable, so that containers of any user can share them
                Files.setPosixFilePermissions(dir, Modes.permissions(0777));
            }
            if (medium.equals("Memory") && !Mounts.isMountPoint(dir)) {
                if (!Mounts.isRoot()) {
                    throw new ContainerConfigException("emptyDir volume \"" + name
                            + "\" has medium Memory, which needs a tmpfs mount, and the agent is not running as root");
                }
                Mounts.mountTmpfs(dir, sizeBytes(name, source.getSizeLimit()));
                Files.setPosixFilePermissions(dir, Modes.permissions(0777));
            }
        } catch (IOException e) {
            throw new ContainerConfigException("emptyDir volume \"" + name + "\": couldn't prepare " + dir + ": " + e.getMessage(), e);
        }
        return dir;
    }

    private static Long sizeBytes(String name, Quantity sizeLimit) throws ContainerConfigException {
        if (sizeLimit == null || sizeLimit.getAmount() == null || sizeLimit.getAmount().isEmpty()) {
            return null;
        }
        try {
            long bytes = sizeLimit.getNumericalAmount().setScale(0, java.math.RoundingMode.CEILING).longValueExact();
            if (bytes <= 0) {
                throw new ContainerConfigException("emptyDir volume \"" + name + "\" has sizeLimit " + sizeLimit + ", which is not positive");
            }
            return bytes;
        } catch (ArithmeticException e) {
            throw new ContainerConfigException("emptyDir volume \"" + name + "\" has sizeLimit " + sizeLimit + ", which is not a size", e);
        }
    }

    /** Unmounts and deletes everything {@link #setUp} made for the pod; failures are logged, and a later call retries. */
    @Override
    public void tearDown(String podUid) {
        Path podDir;
        Path volumes;
        try {
            volumes = volumesDir(podUid);
            podDir = volumes.getParent();
        } catch (ContainerConfigException e) {
            LOG.warn("not tearing down volumes: {}", e.getMessage());
            return;
        }
        synchronized (podLocks.computeIfAbsent(podUid, k -> new Object())) {
            try {
                for (Path mount : Mounts.mountPointsUnder(volumes)) {
                    Mounts.unmount(mount);
                }
                Trees.delete(volumes);
                if (Files.isDirectory(podDir) && isEmpty(podDir)) {
                    Files.delete(podDir);
                }
                tokens.forget(podUid);
                podLocks.remove(podUid);
            } catch (IOException e) {
                LOG.warn("couldn't remove the volumes of pod {}: {}", podUid, e.getMessage());
            }
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return !entries.iterator().hasNext();
        }
    }

    private static String checkUid(String uid) throws ContainerConfigException {
        if (uid == null || !SAFE_SEGMENT.matcher(uid).matches()) {
            throw new ContainerConfigException("pod uid \"" + uid + "\" cannot name a directory");
        }
        return uid;
    }

    private static boolean isTrue(Boolean b) {
        return b != null && b;
    }
}
