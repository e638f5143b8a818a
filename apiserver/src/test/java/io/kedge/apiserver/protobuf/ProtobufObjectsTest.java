package io.kedge.apiserver.protobuf;

import static io.kedge.apiserver.protobuf.ProtobufBodies.body;
import static io.kedge.apiserver.protobuf.ProtobufBodies.goObjectMeta;
import static io.kedge.apiserver.protobuf.ProtobufBodies.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.kubernetes.client.proto.IntStr;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Resource;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Admissionregistration;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1Authorization;
import io.kubernetes.client.proto.V1Batch;
import io.kubernetes.client.proto.V1Policy;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Bodies built as client-go builds them (every non-pointer field present, zero or not) decode to
 * the JSON kubectl sends for the same object.
 */
class ProtobufObjectsTest {

    @Test
    void namespaceWithLabelsDecodesToItsJson() {
        V1.Namespace namespace = V1.Namespace.newBuilder()
                .setMetadata(goObjectMeta("team-a", "").putLabels("team", "a"))
                .setSpec(V1.NamespaceSpec.getDefaultInstance())
                .setStatus(V1.NamespaceStatus.newBuilder().setPhase(""))
                .build();

        ObjectNode decoded = ProtobufObjects.decode(body("v1", "Namespace", namespace));

        assertThat(decoded).isEqualTo(json("""
                {"kind":"Namespace","apiVersion":"v1",
                 "metadata":{"name":"team-a","labels":{"team":"a"}},"spec":{},"status":{}}"""));
    }

    @Test
    void configMapKeepsTextDataAndBase64EncodesBinaryData() {
        V1.ConfigMap configMap = V1.ConfigMap.newBuilder()
                .setMetadata(goObjectMeta("cfg", "default"))
                .putData("a", "1")
                .putData("empty", "")
                .putBinaryData("blob", ByteString.copyFrom(new byte[] {'b', 'i', 'n', 0, 1, (byte) 0xff}))
                .build();

        ObjectNode decoded = ProtobufObjects.decode(body("v1", "ConfigMap", configMap));

        assertThat(decoded).isEqualTo(json("""
                {"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"cfg","namespace":"default"},
                 "data":{"a":"1","empty":""},"binaryData":{"blob":"YmluAAH/"}}"""));
    }

    @Test
    void secretDataBecomesBase64AndAnUnsetTypeStaysAbsent() {
        V1.Secret secret = V1.Secret.newBuilder()
                .setMetadata(goObjectMeta("s", ""))
                .putData("password", ByteString.copyFrom("hunter2", StandardCharsets.UTF_8))
                .setType("")
                .build();

        ObjectNode decoded = ProtobufObjects.decode(body("v1", "Secret", secret));

        assertThat(decoded).isEqualTo(json("""
                {"kind":"Secret","apiVersion":"v1","metadata":{"name":"s"},"data":{"password":"aHVudGVyMg=="}}"""));
    }

    @Test
    void deploymentDecodesQuantitiesIntOrStringsAndNestedTemplates() {
        V1.Container container = V1.Container.newBuilder()
                .setName("web")
                .setImage("nginx:1.27")
                .addPorts(V1.ContainerPort.newBuilder().setName("").setHostPort(0).setContainerPort(80)
                        .setProtocol("TCP").setHostIP(""))
                .addEnv(V1.EnvVar.newBuilder().setName("MODE").setValue("prod"))
                .addEnv(V1.EnvVar.newBuilder().setName("POD").setValue("").setValueFrom(V1.EnvVarSource.newBuilder()
                        .setFieldRef(V1.ObjectFieldSelector.newBuilder().setApiVersion("v1").setFieldPath("metadata.name"))))
                .setResources(V1.ResourceRequirements.newBuilder()
                        .putLimits("memory", quantity("128Mi"))
                        .putRequests("cpu", quantity("250m")))
                .setTerminationMessagePath("")
                .setImagePullPolicy("")
                .setStdin(false).setStdinOnce(false).setTty(false)
                .build();
        V1Apps.Deployment deployment = V1Apps.Deployment.newBuilder()
                .setMetadata(goObjectMeta("web", "").putLabels("app", "web"))
                .setSpec(V1Apps.DeploymentSpec.newBuilder()
                        .setReplicas(3)
                        .setSelector(Meta.LabelSelector.newBuilder().putMatchLabels("app", "web"))
                        .setTemplate(V1.PodTemplateSpec.newBuilder()
                                .setMetadata(goObjectMeta("", "").putLabels("app", "web"))
                                .setSpec(V1.PodSpec.newBuilder().addContainers(container)
                                        .setRestartPolicy("").setDnsPolicy("").setServiceAccountName("")
                                        .setHostNetwork(false).setSchedulerName("")))
                        .setStrategy(V1Apps.DeploymentStrategy.newBuilder()
                                .setType("RollingUpdate")
                                .setRollingUpdate(V1Apps.RollingUpdateDeployment.newBuilder()
                                        .setMaxSurge(IntStr.IntOrString.newBuilder().setType(1).setIntVal(0).setStrVal("25%"))
                                        .setMaxUnavailable(IntStr.IntOrString.newBuilder().setType(0).setIntVal(1).setStrVal(""))))
                        .setMinReadySeconds(0)
                        .setPaused(false))
                .setStatus(V1Apps.DeploymentStatus.newBuilder().setObservedGeneration(0).setReplicas(0))
                .build();

        ObjectNode decoded = ProtobufObjects.decode(body("apps/v1", "Deployment", deployment));

        assertThat(decoded).isEqualTo(json("""
                {"kind":"Deployment","apiVersion":"apps/v1",
                 "metadata":{"name":"web","labels":{"app":"web"}},
                 "spec":{"replicas":3,
                   "selector":{"matchLabels":{"app":"web"}},
                   "template":{"metadata":{"labels":{"app":"web"}},
                     "spec":{"containers":[{"name":"web","image":"nginx:1.27",
                       "ports":[{"containerPort":80,"protocol":"TCP"}],
                       "env":[{"name":"MODE","value":"prod"},
                              {"name":"POD","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.name"}}}],
                       "resources":{"limits":{"memory":"128Mi"},"requests":{"cpu":"250m"}}}]}},
                   "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1,"maxSurge":"25%"}}},
                 "status":{}}"""));
    }

    @Test
    void explicitZerosOfPointerFieldsSurvive() {
        V1Apps.Deployment deployment = V1Apps.Deployment.newBuilder()
                .setMetadata(goObjectMeta("idle", ""))
                .setSpec(V1Apps.DeploymentSpec.newBuilder()
                        .setReplicas(0)
                        .setTemplate(V1.PodTemplateSpec.newBuilder()
                                .setSpec(V1.PodSpec.newBuilder()
                                        .setAutomountServiceAccountToken(false)
                                        .setSecurityContext(V1.PodSecurityContext.newBuilder().setRunAsUser(0)))))
                .build();

        ObjectNode decoded = ProtobufObjects.decode(body("apps/v1", "Deployment", deployment));

        assertThat(decoded.at("/spec/replicas").isInt()).isTrue();
        assertThat(decoded.at("/spec/replicas").intValue()).isZero();
        assertThat(decoded.at("/spec/template/spec")).isEqualTo(json("""
                {"automountServiceAccountToken":false,"securityContext":{"runAsUser":0}}"""));
    }

    @Test
    void serviceTargetPortsAreNumbersOrNames() {
        V1.Service service = V1.Service.newBuilder()
                .setMetadata(goObjectMeta("web", "shop"))
                .setSpec(V1.ServiceSpec.newBuilder()
                        .addPorts(servicePort("http", 80, IntStr.IntOrString.newBuilder().setType(0).setIntVal(8080).setStrVal("")))
                        .addPorts(servicePort("metrics", 9090, IntStr.IntOrString.newBuilder().setType(1).setIntVal(0).setStrVal("prom")))
                        .putSelector("app", "web")
                        .setClusterIP("")
                        .setType("ClusterIP")
                        .setSessionAffinity("")
                        .setExternalTrafficPolicy("")
                        .setHealthCheckNodePort(0)
                        .setPublishNotReadyAddresses(false))
                .setStatus(V1.ServiceStatus.newBuilder().setLoadBalancer(V1.LoadBalancerStatus.getDefaultInstance()))
                .build();

        ObjectNode decoded = ProtobufObjects.decode(body("v1", "Service", service));

        assertThat(decoded).isEqualTo(json("""
                {"kind":"Service","apiVersion":"v1","metadata":{"name":"web","namespace":"shop"},
                 "spec":{"ports":[{"name":"http","protocol":"TCP","port":80,"targetPort":8080},
                                  {"name":"metrics","protocol":"TCP","port":9090,"targetPort":"prom"}],
                         "selector":{"app":"web"},"type":"ClusterIP"},
                 "status":{"loadBalancer":{}}}"""));
    }

    @Test
    void selfSubjectAccessReviewKeepsItsNonOmitemptyAllowedFlag() {
        V1Authorization.SelfSubjectAccessReview review = V1Authorization.SelfSubjectAccessReview.newBuilder()
                .setMetadata(goObjectMeta("", ""))
                .setSpec(V1Authorization.SelfSubjectAccessReviewSpec.newBuilder()
                        .setResourceAttributes(V1Authorization.ResourceAttributes.newBuilder()
                                .setNamespace("default").setVerb("create").setGroup("").setVersion("")
                                .setResource("pods").setSubresource("").setName("")))
                .setStatus(V1Authorization.SubjectAccessReviewStatus.newBuilder()
                        .setAllowed(false).setDenied(false).setReason("").setEvaluationError(""))
                .build();

        ObjectNode decoded = ProtobufObjects.decode(body("authorization.k8s.io/v1", "SelfSubjectAccessReview", review));

        assertThat(decoded).isEqualTo(json("""
                {"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1","metadata":{},
                 "spec":{"resourceAttributes":{"namespace":"default","verb":"create","resource":"pods"}},
                 "status":{"allowed":false}}"""));
    }

    @Test
    void subjectAccessReviewExtraValuesBecomeStringArrays() {
        V1Authorization.SubjectAccessReview review = V1Authorization.SubjectAccessReview.newBuilder()
                .setMetadata(goObjectMeta("", ""))
                .setSpec(V1Authorization.SubjectAccessReviewSpec.newBuilder()
                        .setUser("alice")
                        .addGroups("dev")
                        .putExtra("scopes", V1Authorization.ExtraValue.newBuilder().addItems("read").addItems("write").build()))
                .build();

        ObjectNode decoded = ProtobufObjects.decode(body("authorization.k8s.io/v1", "SubjectAccessReview", review));

        assertThat(decoded.get("spec")).isEqualTo(json("""
                {"user":"alice","groups":["dev"],"extra":{"scopes":["read","write"]}}"""));
    }

    @Test
    void jobWithCommandAndRestartPolicyDecodes() {
        V1Batch.Job job = V1Batch.Job.newBuilder()
                .setMetadata(goObjectMeta("j", ""))
                .setSpec(V1Batch.JobSpec.newBuilder()
                        .setBackoffLimit(0)
                        .setTemplate(V1.PodTemplateSpec.newBuilder()
                                .setMetadata(goObjectMeta("", ""))
                                .setSpec(V1.PodSpec.newBuilder()
                                        .addContainers(V1.Container.newBuilder().setName("j").setImage("busybox")
                                                .addCommand("echo").addCommand("hi")
                                                .setResources(V1.ResourceRequirements.getDefaultInstance()))
                                        .setRestartPolicy("Never"))))
                .setStatus(V1Batch.JobStatus.newBuilder().setActive(0).setSucceeded(0).setFailed(0))
                .build();

        ObjectNode decoded = ProtobufObjects.decode(body("batch/v1", "Job", job));

        assertThat(decoded).isEqualTo(json("""
                {"kind":"Job","apiVersion":"batch/v1","metadata":{"name":"j"},
                 "spec":{"backoffLimit":0,"template":{"metadata":{},
                   "spec":{"containers":[{"name":"j","image":"busybox","command":["echo","hi"],"resources":{}}],
                           "restartPolicy":"Never"}}},
                 "status":{}}"""));
    }

    @Test
    void embeddedStructsFlattenIntoTheirParent() {
        V1.Pod pod = V1.Pod.newBuilder()
                .setMetadata(goObjectMeta("p", ""))
                .setSpec(V1.PodSpec.newBuilder()
                        .addVolumes(V1.Volume.newBuilder().setName("cache")
                                .setVolumeSource(V1.VolumeSource.newBuilder().setEmptyDir(V1.EmptyDirVolumeSource.newBuilder().setMedium(""))))
                        .addVolumes(V1.Volume.newBuilder().setName("cfg")
                                .setVolumeSource(V1.VolumeSource.newBuilder().setConfigMap(V1.ConfigMapVolumeSource.newBuilder()
                                        .setLocalObjectReference(V1.LocalObjectReference.newBuilder().setName("app-config"))
                                        .setDefaultMode(0420))))
                        .addContainers(V1.Container.newBuilder().setName("c")
                                .setReadinessProbe(V1.Probe.newBuilder()
                                        .setHandler(V1.ProbeHandler.newBuilder().setHttpGet(V1.HTTPGetAction.newBuilder()
                                                .setPath("/healthz")
                                                .setPort(IntStr.IntOrString.newBuilder().setType(1).setStrVal("http"))
                                                .setHost("").setScheme("")))
                                        .setPeriodSeconds(5))))
                .build();

        ObjectNode decoded = ProtobufObjects.decode(body("v1", "Pod", pod));

        assertThat(decoded.at("/spec")).isEqualTo(json("""
                {"volumes":[{"name":"cache","emptyDir":{}},
                            {"name":"cfg","configMap":{"name":"app-config","defaultMode":272}}],
                 "containers":[{"name":"c","readinessProbe":{"httpGet":{"path":"/healthz","port":"http"},"periodSeconds":5}}]}"""));
    }

    @Test
    void timesBecomeRfc3339AndMicroTimesKeepMicroseconds() {
        V1.Event event = V1.Event.newBuilder()
                .setMetadata(goObjectMeta("e", "default").setCreationTimestamp(Meta.Time.newBuilder().setSeconds(1714558830)))
                .setInvolvedObject(V1.ObjectReference.newBuilder().setKind("Pod").setName("p"))
                .setReason("Started")
                .setFirstTimestamp(Meta.Time.getDefaultInstance())
                .setEventTime(Meta.MicroTime.newBuilder().setSeconds(1714558830).setNanos(123_456_789))
                .setReportingComponent("kubelet")
                .setReportingInstance("")
                .build();

        ObjectNode decoded = ProtobufObjects.decode(body("v1", "Event", event));

        assertThat(decoded.at("/metadata/creationTimestamp").asText()).isEqualTo("2024-05-01T10:20:30Z");
        assertThat(decoded.at("/eventTime").asText()).isEqualTo("2024-05-01T10:20:30.123456Z");
        assertThat(decoded.has("firstTimestamp")).isFalse();
        // reportingInstance has no omitempty in Go, so its empty value is written
        assertThat(decoded.path("reportingInstance").isTextual()).isTrue();
        assertThat(decoded.path("reportingInstance").asText()).isEmpty();
    }

    @Test
    void rawExtensionsEmbedTheirJson() {
        V1Apps.ControllerRevision revision = V1Apps.ControllerRevision.newBuilder()
                .setMetadata(goObjectMeta("web-1", "default"))
                .setData(Runtime.RawExtension.newBuilder()
                        .setRaw(ByteString.copyFrom("{\"spec\":{\"replicas\":2}}", StandardCharsets.UTF_8)))
                .setRevision(1)
                .build();

        ObjectNode decoded = ProtobufObjects.decode(body("apps/v1", "ControllerRevision", revision));

        assertThat(decoded.get("data")).isEqualTo(json("{\"spec\":{\"replicas\":2}}"));
        assertThat(decoded.get("revision").asLong()).isEqualTo(1);
    }

    @Test
    void rawExtensionsHoldingProtobufObjectsAreDecodedToo() {
        V1.ConfigMap inner = V1.ConfigMap.newBuilder().setMetadata(goObjectMeta("inner", "")).putData("k", "v").build();
        V1Apps.ControllerRevision revision = V1Apps.ControllerRevision.newBuilder()
                .setMetadata(goObjectMeta("r", ""))
                .setData(Runtime.RawExtension.newBuilder().setRaw(ByteString.copyFrom(body("v1", "ConfigMap", inner))))
                .build();

        ObjectNode decoded = ProtobufObjects.decode(body("apps/v1", "ControllerRevision", revision));

        assertThat(decoded.get("data")).isEqualTo(json("""
                {"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"inner"},"data":{"k":"v"}}"""));
    }

    @Test
    void fieldsWhoseProtobufNameDiffersFromJsonUseTheJsonName() {
        V1Authentication.TokenRequest request = V1Authentication.TokenRequest.newBuilder()
                .setMetadata(goObjectMeta("", ""))
                .setSpec(V1Authentication.TokenRequestSpec.newBuilder()
                        .addAudiences("api")
                        .setExpirationSeconds(3600)
                        .setBoundObjectRef(V1Authentication.BoundObjectReference.newBuilder()
                                .setKind("Pod").setApiVersion("v1").setName("p").setUID("1234")))
                .build();
        V1Admissionregistration.ValidatingWebhookConfiguration webhooks = V1Admissionregistration.ValidatingWebhookConfiguration.newBuilder()
                .setMetadata(goObjectMeta("hooks", ""))
                .addWebhooks(V1Admissionregistration.ValidatingWebhook.newBuilder().setName("check.example.com"))
                .build();

        ObjectNode token = ProtobufObjects.decode(body("authentication.k8s.io/v1", "TokenRequest", request));
        ObjectNode hooks = ProtobufObjects.decode(body("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", webhooks));

        assertThat(token.get("spec")).isEqualTo(json("""
                {"audiences":["api"],"expirationSeconds":3600,
                 "boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"p","uid":"1234"}}"""));
        assertThat(hooks.get("webhooks")).isEqualTo(json("[{\"name\":\"check.example.com\"}]"));
    }

    @Test
    void evictionCarriesItsDeleteOptionsWithAZeroGracePeriod() {
        V1Policy.Eviction eviction = V1Policy.Eviction.newBuilder()
                .setMetadata(goObjectMeta("p", "default"))
                .setDeleteOptions(Meta.DeleteOptions.newBuilder().setGracePeriodSeconds(0).setPropagationPolicy("Background"))
                .build();

        ObjectNode decoded = ProtobufObjects.decode(body("policy/v1", "Eviction", eviction));

        assertThat(decoded.get("deleteOptions")).isEqualTo(json("""
                {"gracePeriodSeconds":0,"propagationPolicy":"Background"}"""));
    }

    @Test
    void deleteOptionsAreReadWhateverGroupVersionLabelsThem() {
        Meta.DeleteOptions options = Meta.DeleteOptions.newBuilder().setPropagationPolicy("Foreground").build();

        ObjectNode decoded = ProtobufObjects.decode(body("apps/v1", "DeleteOptions", options));

        assertThat(decoded).isEqualTo(json("""
                {"kind":"DeleteOptions","apiVersion":"apps/v1","propagationPolicy":"Foreground"}"""));
        assertThat(ProtobufObjects.supports("coordination.k8s.io/v1", "DeleteOptions")).isTrue();
    }

    @Test
    void fieldsNewerThanTheDescriptorsAreDroppedWithoutFailing() {
        V1.Namespace namespace = V1.Namespace.newBuilder().setMetadata(goObjectMeta("n", "")).build();
        ByteString withFutureField = namespace.toByteString()
                .concat(ByteString.copyFrom(new byte[] {(byte) 0xf8, 0x3e, 0x01})); // field 999, varint 1

        ObjectNode decoded = ProtobufObjects.decode(body("v1", "Namespace", withFutureField));

        assertThat(decoded).isEqualTo(json("""
                {"kind":"Namespace","apiVersion":"v1","metadata":{"name":"n"}}"""));
    }

    @Test
    void supportsNamesTheKindsWithDescriptors() {
        assertThat(ProtobufObjects.supports("v1", "Namespace")).isTrue();
        assertThat(ProtobufObjects.supports("rbac.authorization.k8s.io/v1", "ClusterRoleBinding")).isTrue();
        assertThat(ProtobufObjects.supports("authorization.k8s.io/v1", "SelfSubjectAccessReview")).isTrue();
        assertThat(ProtobufObjects.supports("coordination.k8s.io/v1", "Lease")).isFalse();
        assertThat(ProtobufObjects.supports("v1", "PodSpec")).isFalse();
        assertThat(ProtobufObjects.supports("v1", "Nonsense")).isFalse();
        assertThat(ProtobufObjects.supports(null, "Namespace")).isFalse();
    }

    @Test
    void contentTypeCheckIgnoresParametersAndCase() {
        assertThat(ProtobufObjects.isProtobuf("application/vnd.kubernetes.protobuf")).isTrue();
        assertThat(ProtobufObjects.isProtobuf("Application/VND.kubernetes.protobuf; charset=utf-8")).isTrue();
        assertThat(ProtobufObjects.isProtobuf("application/vnd.kubernetes.protobuf;stream=watch")).isTrue();
        assertThat(ProtobufObjects.isProtobuf("application/json")).isFalse();
        assertThat(ProtobufObjects.isProtobuf(null)).isFalse();
    }

    private static Resource.Quantity quantity(String text) {
        return Resource.Quantity.newBuilder().setString(text).build();
    }

    private static V1.ServicePort servicePort(String name, int port, IntStr.IntOrString.Builder target) {
        return V1.ServicePort.newBuilder().setName(name).setProtocol("TCP")
                .setPort(port).setTargetPort(target).setNodePort(0).build();
    }
}
