package io.kedge.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kedge} command. */
@Command(name = "kedge", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A Kubernetes-compatible cloud-edge platform.",
        subcommands = {ServerCommand.class, ControllersCommand.class, AgentCommand.class, KubeconfigCommand.class, TokenCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {
    public static void main(String[] args) {
        // libraries that log through java.util.logging print one line too, in the same shape
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL%1$tz [%4$s] %3$s - %5$s%6$s%n");
        System.exit(new CommandLine(new Main()).execute(args));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[]{"kedge " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
