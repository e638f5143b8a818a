package io.kedge.controllers.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.TreeSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompletedIndexesTest {
    @Test
    void runsAreWrittenAsRangesAndSinglesAlone() {
        assertThat(CompletedIndexes.format(new TreeSet<>(List.of(1, 3, 4, 5, 7, 8)))).isEqualTo("1,3-5,7-8");
        assertThat(CompletedIndexes.format(new TreeSet<>(List.of(0)))).isEqualTo("0");
        assertThat(CompletedIndexes.format(new TreeSet<>())).isEmpty();
    }

    @Test
    void readingGivesBackWhatWasWritten() {
        assertThat(CompletedIndexes.parse("1,3-5,7-8", 10)).containsExactly(1, 3, 4, 5, 7, 8);
    }

    @Test
    void malformedPartsAndIndexesBeyondTheCompletionsAreLeftOut() {
        assertThat(CompletedIndexes.parse("0,x,2-1,3-,4-6,9", 6)).containsExactly(0, 4, 5);
        assertThat(CompletedIndexes.parse(null, 3)).isEmpty();
    }
}
