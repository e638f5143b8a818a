package io.kedge.hub;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SliceTopologyTest {
    @Test
    void aReSentSliceCarriesANewerVersionThanItsOwnPreferablyOneThatExists() {
        assertThat(SliceTopology.raised("100", "120", "130")).isEqualTo("120");
        assertThat(SliceTopology.raised("100", "90", "130")).as("the newest version the hub has seen").isEqualTo("130");
        assertThat(SliceTopology.raised("100", "100", "100")).isEqualTo("101");
    }

    @Test
    void onlyEndpointSlicesAreFiltered() {
        assertThat(SliceTopology.applies("discovery.k8s.io/v1/endpointslices")).isTrue();
        assertThat(SliceTopology.applies("/v1/endpoints")).isFalse();
        assertThat(SliceTopology.applies("/v1/services")).isFalse();
    }
}
