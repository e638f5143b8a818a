package io.kedge.netproxy.iptables;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the IPv4 iptables tools, each behind a configurable command prefix (such as
 * {@code nsenter --net=/var/run/netns/NAME}) so that the same code programs another network namespace.
 */
public final class Iptables {
    private static final long TIMEOUT_SECONDS = 60;
    private static final Pattern FAILED_LINE = Pattern.compile("line:? (\\d+)");
    private static final Pattern QUOTED = Pattern.compile("'([^']+)'");

    private final List<String> prefix;

    public Iptables(List<String> prefix) {
        this.prefix = List.copyOf(prefix);
    }

    /** Applies {@code input} with {@code iptables-restore --noflush}: all of it, or, on error, none of it. */
    public void restore(String input) throws IptablesException {
        Result r = run(List.of("iptables-restore", "--noflush"), input);
        if (r.exit != 0) {
            throw new IptablesException(commandLine("iptables-restore --noflush") + " failed (exit " + r.exit + "): " + r.output.strip()
                    + offendingLine(r.output, input));
        }
    }

    /** {@code iptables-save -t TABLE}. */
    public String save(String table) throws IptablesException {
        Result r = run(List.of("iptables-save", "-t", table), null);
        if (r.exit != 0) {
            throw new IptablesException(commandLine("iptables-save -t " + table) + " failed (exit " + r.exit + "): " + r.output.strip());
        }
        return r.output;
    }

    /** The kedge chains that exist in a table. */
    public Set<String> kedgeChains(String table) throws IptablesException {
        Set<String> chains = new LinkedHashSet<>();
        for (String line : save(table).split("\n")) {
            if (line.startsWith(":" + Chains.PREFIX)) {
                chains.add(line.substring(1, line.indexOf(' ')));
            }
        }
        return chains;
    }

    /** Whether the rule is in the chain ({@code iptables -C}); false too when the chain or its target is missing. */
    public boolean exists(String table, String chain, List<String> rule) throws IptablesException {
        return iptables(table, "-C", chain, rule).exit == 0;
    }

    public void insert(String table, String chain, List<String> rule) throws IptablesException {
        Result r = iptables(table, "-I", chain, rule);
        if (r.exit != 0) {
            throw new IptablesException(commandLine("iptables -t " + table + " -I " + chain + " " + String.join(" ", rule)) + " failed (exit "
                    + r.exit + "): " + r.output.strip());
        }
    }

    /** Deletes one copy of the rule; false when there was none. */
    public boolean delete(String table, String chain, List<String> rule) throws IptablesException {
        return iptables(table, "-D", chain, rule).exit == 0;
    }

    private String commandLine(String command) {
        return prefix.isEmpty() ? command : String.join(" ", prefix) + " " + command;
    }

    private Result iptables(String table, String op, String chain, List<String> rule) throws IptablesException {
        List<String> args = new ArrayList<>(List.of("iptables", "-w", "5", "-t", table, op, chain));
        args.addAll(rule);
        return run(args, null);
    }

    /**
     * The input line the tool names. Some errors (a missing chain, with the nf_tables back end) are
     * found only at COMMIT; then the first line naming what the message quotes is the likely culprit.
     */
    static String offendingLine(String output, String input) {
        Matcher m = FAILED_LINE.matcher(output);
        if (!m.find()) {
            return "";
        }
        int n = Integer.parseInt(m.group(1));
        String[] lines = input.split("\n", -1);
        if (n < 1 || n > lines.length) {
            return "";
        }
        if (!lines[n - 1].equals("COMMIT")) {
            return "; the rule at line " + n + ": " + lines[n - 1];
        }
        Matcher quoted = QUOTED.matcher(output);
        if (quoted.find()) {
            for (int i = 0; i < n - 1; i++) {
                if (lines[i].startsWith("-A ") && lines[i].contains(quoted.group(1))) {
                    return "; the rule at line " + (i + 1) + " (reported at COMMIT): " + lines[i];
                }
            }
        }
        return "; reported at the COMMIT on line " + n;
    }

    private Result run(List<String> command, String stdin) throws IptablesException {
        List<String> full = new ArrayList<>(prefix);
        full.addAll(command);
        Process process;
        try {
            process = new ProcessBuilder(full).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IptablesException("cannot run " + String.join(" ", full) + ": " + e.getMessage()
                    + " (is iptables installed and on the PATH?)", e);
        }
        try {
            // the tools write little while they read, so the output is read after the input is written
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the tool stopped reading, having failed; its exit code and message say why
            }
            String output = readAll(process.getInputStream());
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IptablesException(String.join(" ", full) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), output);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IptablesException(String.join(" ", full) + " was interrupted", e);
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private record Result(int exit, String output) {
    }
}
