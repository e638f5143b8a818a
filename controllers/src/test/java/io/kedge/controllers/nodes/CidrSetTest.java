package io.kedge.controllers.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CidrSetTest {
    @Test
    void subnetsAreHandedOutInOrderAndEachOnce() {
        CidrSet set = new CidrSet("10.42.0.0/16", 24);
        assertThat(set.size()).isEqualTo(256);
        assertThat(set.allocate()).isEqualTo("10.42.0.0/24");
        assertThat(set.allocate()).isEqualTo("10.42.1.0/24");
        assertThat(set.free()).isEqualTo(254);
    }

    @Test
    void anOccupiedSubnetIsSkippedAndAReleasedOneComesBackOnceTheRangeWrapsAround() {
        CidrSet set = new CidrSet("10.0.0.0/23", 24);
        assertThat(set.occupy("10.0.0.0/24")).isTrue();
        assertThat(set.allocate()).isEqualTo("10.0.1.0/24");
        assertThat(set.allocate()).as("exhausted").isNull();
        set.release("10.0.0.0/24");
        assertThat(set.allocate()).isEqualTo("10.0.0.0/24");
    }

    @Test
    void subnetsOfAnotherRangeOrSizeAreNotOccupied() {
        CidrSet set = new CidrSet("10.42.0.0/16", 24);
        assertThat(set.occupy("10.43.0.0/24")).isFalse();
        assertThat(set.occupy("10.42.0.0/25")).isFalse();
        assertThat(set.occupy("10.42.0.128/24")).isFalse();
        assertThat(set.occupy("not a cidr")).isFalse();
        assertThat(set.free()).isEqualTo(256);
    }

    @Test
    void badFlagsAreRejectedWithTheReason() {
        assertThatThrownBy(() -> new CidrSet("fd00::/48", 64)).hasMessageContaining("IPv6");
        assertThatThrownBy(() -> new CidrSet("10.42.0.0", 24)).hasMessageContaining("not of the form a.b.c.d/n");
        assertThatThrownBy(() -> new CidrSet("10.42.300.0/16", 24)).hasMessageContaining("300 where at most 255 fits");
        assertThatThrownBy(() -> new CidrSet("10.42.0.0/16", 8)).hasMessageContaining("must lie between");
        assertThatThrownBy(() -> new CidrSet("10.0.0.0/8", 32)).hasMessageContaining("more than 65536 node subnets");
    }
}
