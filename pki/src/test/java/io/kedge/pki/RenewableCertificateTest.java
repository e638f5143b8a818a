package io.kedge.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RenewableCertificateTest {
    private static final CertificateAuthority CA = CertificateAuthority.create("renewable-test-ca");

    private static IssuedCertificate issued(String name) {
        return CA.issueClient(name, List.of(), Duration.ofHours(1));
    }

    @Test
    void whoeverSeesTheNewCertificateAsCurrentCanRelyOnEveryListenerHavingTakenIt() {
        IssuedCertificate first = issued("first");
        IssuedCertificate second = issued("second");
        RenewableCertificate renewable = new RenewableCertificate(first);
        List<String> heard = new ArrayList<>();
        renewable.onChange(next -> heard.add("a " + next.certificate().getSubjectX500Principal().getName()
                + " while current is " + renewable.current().certificate().getSubjectX500Principal().getName()));
        renewable.onChange(next -> heard.add("b"));

        renewable.replace(second);

        assertThat(heard).containsExactly("a CN=second while current is CN=first", "b");
        assertThat(renewable.current()).isSameAs(second);
    }

    @Test
    void aFailingListenerDoesNotKeepTheOldCertificateInstalled() {
        IssuedCertificate second = issued("second");
        RenewableCertificate renewable = new RenewableCertificate(issued("first"));
        renewable.onChange(next -> {
            throw new IllegalStateException("not started");
        });

        assertThatThrownBy(() -> renewable.replace(second)).hasMessage("not started");
        assertThat(renewable.current()).isSameAs(second);
    }

    @Test
    void nothingIsNoCertificate() {
        assertThatThrownBy(() -> new RenewableCertificate(null)).isInstanceOf(IllegalArgumentException.class);
        RenewableCertificate renewable = new RenewableCertificate(issued("first"));
        assertThatThrownBy(() -> renewable.replace(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
