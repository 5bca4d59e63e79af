package dev.brun.plan;

import dev.brun.conversation.ReviewStatus;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TierSharesTest {
    private static Combination c(int i) { return new Combination("p", "a", "t" + i); }

    private static Map<Combination, QualityTier> tiers(QualityTier... t) {
        Map<Combination, QualityTier> m = new LinkedHashMap<>();
        for (int i = 0; i < t.length; i++) m.put(c(i), t[i]);
        return m;
    }

    @Test
    void evenTiersShareEvenly() {
        TierShares.Result r = TierShares.share(tiers(QualityTier.STANDARD, QualityTier.STANDARD, QualityTier.STANDARD, QualityTier.STANDARD), 20);
        assertThat(r.shares()).extracting(TierShares.Share::variations).containsExactly(5, 5, 5, 5);
        assertThat(r.shares()).noneMatch(TierShares.Share::changed);
        assertThat(r.unshared()).isZero();
    }

    @Test
    void aRejectedCombinationsVariationsGoToTheOthers() {
        TierShares.Result r = TierShares.share(tiers(QualityTier.STANDARD, QualityTier.REJECTED, QualityTier.STANDARD, QualityTier.STRONG), 20);
        List<Integer> got = r.shares().stream().map(TierShares.Share::variations).toList();
        assertThat(got.get(1)).isZero();
        assertThat(got.get(0)).isGreaterThan(5);
        assertThat(got.get(3)).isGreaterThan(got.get(0));
        assertThat(got.stream().mapToInt(Integer::intValue).sum()).isEqualTo(20);
        assertThat(r.shares().get(1).changed()).isTrue();
    }

    @Test
    void theCapLeavesWhatNobodyMayTakeForFill() {
        TierShares.Result r = TierShares.share(tiers(QualityTier.STANDARD, QualityTier.UNSEEDED, QualityTier.UNSEEDED, QualityTier.UNSEEDED), 20);
        assertThat(r.shares().getFirst().variations()).isEqualTo(10); // twice the even share
        assertThat(r.unshared()).isEqualTo(10);
    }

    @Test
    void tierComesFromDecisionsThenScores() {
        assertThat(QualityTier.of(List.of())).isEqualTo(QualityTier.UNSEEDED);
        assertThat(QualityTier.of(List.of(new QualityTier.Seed(ReviewStatus.REJECTED, 4.5, 0)))).isEqualTo(QualityTier.REJECTED);
        assertThat(QualityTier.of(List.of(new QualityTier.Seed(ReviewStatus.REJECTED, 2.0, 0),
                new QualityTier.Seed(ReviewStatus.APPROVED, 4.2, 0)))).isEqualTo(QualityTier.STRONG);
        assertThat(QualityTier.of(List.of(new QualityTier.Seed(ReviewStatus.APPROVED, 3.5, 0)))).isEqualTo(QualityTier.STANDARD);
        assertThat(QualityTier.of(List.of(new QualityTier.Seed(ReviewStatus.APPROVED, 2.5, 0)))).isEqualTo(QualityTier.WEAK);
        assertThat(QualityTier.of(List.of(new QualityTier.Seed(ReviewStatus.PENDING, 4.0, 1)))).isEqualTo(QualityTier.WEAK);
        assertThat(QualityTier.of(List.of(new QualityTier.Seed(ReviewStatus.PENDING, 3.4, 0)))).isEqualTo(QualityTier.STANDARD);
    }
}
