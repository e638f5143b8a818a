package io.kedge.api.table;

import static io.kedge.api.table.Objects.NOW;
import static io.kedge.api.table.Objects.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StoragePrintersTest {
    private static List<Object> row(String group, String resource, String yaml) {
        return TablePrinters.forResource(group, resource).cells(yaml(yaml), NOW);
    }

    @Test
    void marksTheDefaultStorageClass() {
        assertThat(row("storage.k8s.io", "storageclasses", """
                metadata:
                  name: local-path
                  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
                provisioner: rancher.io/local-path
                volumeBindingMode: WaitForFirstConsumer
                """)).containsExactly("local-path (default)", "rancher.io/local-path", "Delete", "WaitForFirstConsumer",
                false, "<unknown>");
    }

    @Test
    void printsABoundPersistentVolume() {
        assertThat(row("", "persistentvolumes", """
                metadata: {name: pv-1}
                spec:
                  capacity: {storage: 10Gi}
                  accessModes: [ReadWriteMany, ReadWriteOnce]
                  persistentVolumeReclaimPolicy: Retain
                  claimRef: {namespace: shop, name: data}
                  storageClassName: local-path
                  volumeMode: Filesystem
                status: {phase: Bound}
                """)).containsExactly("pv-1", "10Gi", "RWO,RWX", "Retain", "Bound", "shop/data", "local-path", "<unset>", "",
                "<unknown>", "Filesystem");
    }

    @Test
    void printsAClaimWithTheBoundVolumeOnlyOnceBound() {
        assertThat(row("", "persistentvolumeclaims", """
                metadata: {name: data, annotations: {volume.beta.kubernetes.io/storage-class: legacy}}
                spec: {volumeName: pv-1, storageClassName: local-path}
                status: {phase: Bound, capacity: {storage: 10Gi}, accessModes: [ReadWriteOnce]}
                """)).containsExactly("data", "Bound", "pv-1", "10Gi", "RWO", "legacy", "<unset>", "<unknown>", "<unset>");
        assertThat(row("", "persistentvolumeclaims", "{metadata: {name: wait}, status: {phase: Pending}}").subList(1, 5))
                .containsExactly("Pending", "", "", "");
    }
}
