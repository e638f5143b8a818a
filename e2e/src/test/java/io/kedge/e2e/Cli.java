package io.kedge.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real client binary (kubectl 1.35, kubectl 1.20, helm) from the tools that
 * {@code .ci/install-tools.sh} installs, against a server's kubeconfig.
 */
public final class Cli {
    public record Result(int exit, String out, String err) {
        public Result ok() {
            if (exit != 0) {
                throw new AssertionError("command failed with exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err);
            }
            return this;
        }
    }

    private final Path binary;
    private final Path kubeconfig;
    private final Map<String, String> env;

    public Cli(String tool, Path kubeconfig) {
        this(tool, kubeconfig, Map.of());
    }

    public Cli(String tool, Path kubeconfig, Map<String, String> env) {
        this.binary = tool(tool);
        this.kubeconfig = kubeconfig;
        this.env = env;
    }

    public static Path tool(String name) {
        Path dir = Path.of(System.getenv().getOrDefault("KEDGE_TOOLS", ServerProcess.root().resolve(".tools").toString()), "bin");
        Path p = dir.resolve(name);
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException(p + " is missing: run .ci/install-tools.sh first");
        }
        return p;
    }

    public Result run(String... args) throws IOException, InterruptedException {
        return runWithInput(null, args);
    }

    /** Runs with {@code stdin} as standard input (null for none). */
    public Result runWithInput(String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.add("--kubeconfig");
        cmd.add(kubeconfig.toString());
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Path home = Files.createTempDirectory("kedge-cli-home");
        pb.environment().put("HOME", home.toString());
        pb.environment().put("KUBECACHEDIR", home.resolve("cache").toString());
        pb.environment().putAll(env);
        Path out = home.resolve("out");
        Path err = home.resolve("err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", cmd) + "\nstdout:\n" + Files.readString(out)
                    + "\nstderr:\n" + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Starts a long-running command (e.g. {@code get -w}) whose output the test reads as it comes. */
    public Process start(Path output, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.add("--kubeconfig");
        cmd.add(kubeconfig.toString());
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().put("HOME", output.getParent().toString());
        return pb.start();
    }
}
