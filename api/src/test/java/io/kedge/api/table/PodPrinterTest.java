package io.kedge.api.table;

import static io.kedge.api.table.Objects.NOW;
import static io.kedge.api.table.Objects.ago;
import static io.kedge.api.table.Objects.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodPrinterTest {
    private static final TablePrinter PRINTER = TablePrinters.forResource("", "pods");

    private static List<Object> row(String yaml) {
        return PRINTER.cells(yaml(yaml), NOW);
    }

    private static Object status(String yaml) {
        return row(yaml).get(2);
    }

    @Test
    void definesTheColumnsKubectlUsersKnow() {
        assertThat(PRINTER.columns()).extracting(ColumnDefinition::name).containsExactly(
                "Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates");
        assertThat(PRINTER.columns()).extracting(ColumnDefinition::priority).containsExactly(0, 0, 0, 0, 0, 1, 1, 1, 1);
        assertThat(PRINTER.columns().get(0).format()).isEqualTo("name");
    }

    @Test
    void printsARunningPod() {
        List<Object> cells = row("""
                metadata: {name: web-7d4b9, namespace: shop, creationTimestamp: %s}
                spec:
                  nodeName: edge-1
                  containers: [{name: web, image: nginx}, {name: log, image: busybox}]
                status:
                  phase: Running
                  podIP: 10.244.1.7
                  podIPs: [{ip: 10.244.1.7}, {ip: "fd00::7"}]
                  conditions: [{type: Ready, status: "True"}]
                  containerStatuses:
                    - {name: web, ready: true, restartCount: 0, state: {running: {startedAt: %s}}}
                    - {name: log, ready: true, restartCount: 0, state: {running: {startedAt: %s}}}
                """.formatted(ago(Duration.ofHours(5)), ago(Duration.ofHours(5)), ago(Duration.ofHours(5))));
        assertThat(cells).containsExactly("web-7d4b9", "2/2", "Running", "0", "5h", "10.244.1.7", "edge-1", "<none>", "<none>");
    }

    @Test
    void countsOnlyReadyRunningContainers() {
        assertThat(row("""
                spec: {containers: [{name: a}, {name: b}]}
                status:
                  phase: Running
                  containerStatuses:
                    - {name: a, ready: true, state: {running: {}}}
                    - {name: b, ready: false, state: {running: {}}}
                """).get(1)).isEqualTo("1/2");
    }

    @Test
    void showsCompletedForASucceededPod() {
        assertThat(row("""
                spec: {containers: [{name: job}]}
                status:
                  phase: Succeeded
                  containerStatuses:
                    - {name: job, ready: false, state: {terminated: {exitCode: 0, reason: Completed}}}
                """).subList(1, 3)).containsExactly("0/1", "Completed");
    }

    @Test
    void showsTheWaitingReasonAndWhenTheLastRestartHappened() {
        List<Object> cells = row("""
                spec: {containers: [{name: app}]}
                status:
                  phase: Running
                  containerStatuses:
                    - name: app
                      ready: false
                      restartCount: 4
                      state: {waiting: {reason: CrashLoopBackOff, message: back-off 40s}}
                      lastState: {terminated: {exitCode: 1, reason: Error, finishedAt: %s}}
                """.formatted(ago(Duration.ofMinutes(2))));
        assertThat(cells.subList(1, 4)).containsExactly("0/1", "CrashLoopBackOff", "4 (2m ago)");
    }

    @Test
    void showsContainerCreatingWhileImagesArePulled() {
        assertThat(status("""
                spec: {containers: [{name: app}]}
                status:
                  phase: Pending
                  containerStatuses: [{name: app, state: {waiting: {reason: ContainerCreating}}}]
                """)).isEqualTo("ContainerCreating");
    }

    @Test
    void showsThePhaseWhenNothingMoreIsKnown() {
        assertThat(status("{spec: {containers: [{name: a}]}, status: {phase: Pending}}")).isEqualTo("Pending");
    }

    @Test
    void showsTheTerminationReasonOfAFailedContainer() {
        assertThat(status("""
                status:
                  phase: Failed
                  containerStatuses: [{name: a, state: {terminated: {exitCode: 137, reason: OOMKilled}}}]
                """)).isEqualTo("OOMKilled");
        assertThat(status("""
                status:
                  phase: Failed
                  containerStatuses: [{name: a, state: {terminated: {exitCode: 2}}}]
                """)).isEqualTo("ExitCode:2");
        assertThat(status("""
                status:
                  phase: Failed
                  containerStatuses: [{name: a, state: {terminated: {exitCode: 0, signal: 9}}}]
                """)).isEqualTo("Signal:9");
    }

    @Test
    void showsTerminatingOnceDeletionStarted() {
        assertThat(status("""
                metadata: {name: web, deletionTimestamp: %s}
                status:
                  phase: Running
                  containerStatuses: [{name: a, ready: true, state: {running: {}}}]
                """.formatted(ago(Duration.ofSeconds(10))))).isEqualTo("Terminating");
    }

    @Test
    void aDeletedPodThatAlreadyFinishedKeepsItsReason() {
        assertThat(status("""
                metadata: {deletionTimestamp: %s}
                status:
                  phase: Succeeded
                  containerStatuses: [{name: a, state: {terminated: {exitCode: 0, reason: Completed}}}]
                """.formatted(ago(Duration.ofSeconds(10))))).isEqualTo("Completed");
    }

    @Test
    void showsUnknownForAPodDeletedBecauseItsNodeWasLost() {
        assertThat(status("""
                metadata: {deletionTimestamp: %s}
                status: {phase: Running, reason: NodeLost}
                """.formatted(ago(Duration.ofMinutes(1))))).isEqualTo("Unknown");
    }

    @Test
    void showsInitProgressWhileAnInitContainerRuns() {
        assertThat(row("""
                spec:
                  initContainers: [{name: migrate}]
                  containers: [{name: app}]
                status:
                  phase: Pending
                  initContainerStatuses: [{name: migrate, ready: false, state: {running: {}}}]
                  containerStatuses: [{name: app, state: {waiting: {reason: PodInitializing}}}]
                """).subList(1, 3)).containsExactly("0/1", "Init:0/1");
    }

    @Test
    void showsTheInitContainerThatIsBeingWaitedOn() {
        assertThat(status("""
                spec:
                  initContainers: [{name: one}, {name: two}]
                  containers: [{name: app}]
                status:
                  phase: Pending
                  initContainerStatuses:
                    - {name: one, state: {terminated: {exitCode: 0, reason: Completed}}}
                    - {name: two, state: {waiting: {reason: PodInitializing}}}
                """)).isEqualTo("Init:1/2");
    }

    @Test
    void showsAnInitContainerFailure() {
        assertThat(status("""
                spec: {initContainers: [{name: migrate}], containers: [{name: app}]}
                status:
                  phase: Pending
                  initContainerStatuses:
                    - {name: migrate, restartCount: 3, state: {waiting: {reason: CrashLoopBackOff}}}
                """)).isEqualTo("Init:CrashLoopBackOff");
        assertThat(status("""
                spec: {initContainers: [{name: migrate}], containers: [{name: app}]}
                status:
                  phase: Failed
                  initContainerStatuses: [{name: migrate, state: {terminated: {exitCode: 1, reason: Error}}}]
                """)).isEqualTo("Init:Error");
        assertThat(status("""
                spec: {initContainers: [{name: migrate}], containers: [{name: app}]}
                status:
                  phase: Failed
                  initContainerStatuses: [{name: migrate, state: {terminated: {exitCode: 3}}}]
                """)).isEqualTo("Init:ExitCode:3");
    }

    @Test
    void countsAStartedSidecarAsAReadyContainer() {
        List<Object> cells = row("""
                spec:
                  initContainers: [{name: proxy, restartPolicy: Always}]
                  containers: [{name: app}]
                status:
                  phase: Running
                  conditions: [{type: Initialized, status: "True"}, {type: Ready, status: "True"}]
                  initContainerStatuses:
                    - {name: proxy, started: true, ready: true, restartCount: 1, state: {running: {}},
                       lastState: {terminated: {exitCode: 1, finishedAt: %s}}}
                  containerStatuses: [{name: app, ready: true, restartCount: 2, state: {running: {}}}]
                """.formatted(ago(Duration.ofHours(1))));
        assertThat(cells.subList(1, 4)).containsExactly("2/2", "Running", "3 (60m ago)");
    }

    @Test
    void aPodWithACompletedAndARunningContainerIsRunningWhenReady() {
        String pod = """
                spec: {containers: [{name: a}, {name: b}]}
                status:
                  phase: Running
                  conditions: [{type: Ready, status: "%s"}]
                  containerStatuses:
                    - {name: a, ready: false, state: {terminated: {exitCode: 0, reason: Completed}}}
                    - {name: b, ready: true, state: {running: {}}}
                """;
        assertThat(status(pod.formatted("True"))).isEqualTo("Running");
        assertThat(status(pod.formatted("False"))).isEqualTo("NotReady");
    }

    @Test
    void showsSchedulingGatedWhileGatesRemain() {
        assertThat(status("""
                status:
                  phase: Pending
                  conditions: [{type: PodScheduled, status: "False", reason: SchedulingGated}]
                """)).isEqualTo("SchedulingGated");
    }

    @Test
    void countsReadinessGatesWhoseConditionIsTrue() {
        assertThat(row("""
                spec:
                  readinessGates: [{conditionType: example.com/lb}, {conditionType: example.com/dns}]
                status:
                  nominatedNodeName: edge-2
                  conditions: [{type: example.com/lb, status: "True"}, {type: example.com/dns, status: "False"}]
                """).subList(7, 9)).containsExactly("edge-2", "1/2");
    }

    @Test
    void anEmptyPodPrintsPlaceholders() {
        JsonNode empty = yaml("{}");
        assertThat(PRINTER.cells(empty, NOW))
                .containsExactly("", "0/0", "", "0", "<unknown>", "<none>", "<none>", "<none>", "<none>");
    }
}
