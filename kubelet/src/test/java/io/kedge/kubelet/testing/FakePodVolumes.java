package io.kedge.kubelet.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.kedge.kubelet.ContainerConfigException;
import io.kedge.kubelet.PodVolumes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A test fake of {@link PodVolumes}: emptyDir volumes as plain directories under
 * {@code DIR/<uid>/<name>}, and hostPath volumes as the host directory itself (made when missing);
 * projected volumes (every pod gets one for its service-account token) as empty directories too,
 * their files being VolumeManager's concern; any other volume type is a
 * {@link ContainerConfigException}. It records which pods it tore down.
 */
public final class FakePodVolumes implements PodVolumes {
    private final Path dir;
    private final Set<String> tornDown = ConcurrentHashMap.newKeySet();

    public FakePodVolumes(Path dir) {
        this.dir = dir;
    }

    @Override
    public Map<String, Path> setUp(Pod pod) throws ContainerConfigException {
        Map<String, Path> out = new LinkedHashMap<>();
        List<Volume> volumes = pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
        for (Volume v : volumes) {
            Path p;
            if (v.getHostPath() != null) {
                p = Path.of(v.getHostPath().getPath());
            } else if (v.getEmptyDir() != null || v.getProjected() != null) {
                p = dir.resolve(pod.getMetadata().getUid()).resolve(v.getName());
            } else {
                throw new ContainerConfigException("volume \"" + v.getName() + "\": the test fake supports emptyDir, projected and hostPath only");
            }
            try {
                Files.createDirectories(p);
                p.toFile().setWritable(true, false);
            } catch (IOException e) {
                throw new ContainerConfigException("volume \"" + v.getName() + "\": " + e.getMessage(), e);
            }
            out.put(v.getName(), p);
        }
        return out;
    }

    @Override
    public void tearDown(String podUid) {
        Path p = dir.resolve(podUid);
        if (Files.exists(p)) {
            try (Stream<Path> walk = Files.walk(p)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> {
                    try {
                        Files.delete(f);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        tornDown.add(podUid);
    }

    public boolean wasTornDown(String podUid) {
        return tornDown.contains(podUid);
    }
}
