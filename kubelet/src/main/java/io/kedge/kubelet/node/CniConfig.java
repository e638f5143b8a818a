package io.kedge.kubelet.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The node's CNI network, which containerd's CRI plugin sets pods up with: a bridge
 * ({@code kedge0}, the pods' gateway, with masquerade and hairpin) with host-local addresses from
 * the node's pod CIDR, and portmap for hostPorts. The file is replaced by one rename, and only
 * when its content changes, so containerd never reads half of it.
 */
public final class CniConfig {
    public static final String FILE_NAME = "10-kedge.conflist";
    public static final String NETWORK_NAME = "kedge";
    public static final String BRIDGE = "kedge0";
    private static final Pattern CIDR = Pattern.compile("[0-9a-fA-F.:]+/\\d{1,3}");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path confDir;
    private final Path ipamDataDir;

    /** @param ipamDataDir where host-local keeps its address leases (one per node, so under the agent's data dir) */
    public CniConfig(Path confDir, Path ipamDataDir) {
        this.confDir = confDir;
        this.ipamDataDir = ipamDataDir;
    }

    public Path file() {
        return confDir.resolve(FILE_NAME);
    }

    /** Writes the config for {@code podCidr}; true when the file changed. */
    public boolean write(String podCidr) throws IOException {
        if (podCidr == null || !CIDR.matcher(podCidr).matches()) {
            throw new IllegalArgumentException("pod CIDR " + podCidr + " is not an address range like 10.42.1.0/24");
        }
        byte[] content = conflist(podCidr).getBytes(StandardCharsets.UTF_8);
        Path file = file();
        if (Files.isRegularFile(file) && java.util.Arrays.equals(Files.readAllBytes(file), content)) {
            return false;
        }
        Files.createDirectories(confDir);
        Files.createDirectories(ipamDataDir);
        Path tmp = Files.createTempFile(confDir, "." + FILE_NAME, ".tmp");
        try {
            Files.write(tmp, content);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return true;
    }

    /** Whether the file on disk is the config for {@code podCidr}. */
    public boolean isWrittenFor(String podCidr) {
        try {
            return podCidr != null && Files.isRegularFile(file())
                    && Files.readString(file(), StandardCharsets.UTF_8).equals(conflist(podCidr));
        } catch (IOException e) {
            return false;
        }
    }

    String conflist(String podCidr) {
        Map<String, Object> ipam = new LinkedHashMap<>();
        ipam.put("type", "host-local");
        ipam.put("ranges", List.of(List.of(Map.of("subnet", podCidr))));
        ipam.put("routes", List.of(Map.of("dst", podCidr.contains(":") ? "::/0" : "0.0.0.0/0")));
        ipam.put("dataDir", ipamDataDir.toAbsolutePath().toString());
        Map<String, Object> bridge = new LinkedHashMap<>();
        bridge.put("type", "bridge");
        bridge.put("bridge", BRIDGE);
        bridge.put("isGateway", true);
        bridge.put("ipMasq", true);
        bridge.put("hairpinMode", true);
        bridge.put("ipam", ipam);
        Map<String, Object> portmap = new LinkedHashMap<>();
        portmap.put("type", "portmap");
        portmap.put("capabilities", Map.of("portMappings", true));
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("cniVersion", "0.4.0");
        list.put("name", NETWORK_NAME);
        list.put("plugins", List.of(bridge, portmap));
        try {
            return JSON.writeValueAsString(list) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("a map of strings always serializes", e);
        }
    }
}
