package dev.brun.plan;

import dev.brun.pack.Exclusion;
import dev.brun.pack.Pack;
import dev.brun.pack.Phase;
import dev.brun.pack.TinyPacks;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CoverageMatrixTest {
    @Test
    void matrixIsTheCrossProductMinusExclusions() {
        Pack pack = TinyPacks.of(3, 5, 4, List.of(new Exclusion("p0", "a1", null, "makes no sense")));
        List<Combination> combos = new CoverageMatrix(pack).combinations(PlanFilter.ALL);
        assertThat(combos).hasSize(3 * 5 * 4 - 4);
        assertThat(combos).noneMatch(c -> c.personaKey().equals("p0") && c.arcKey().equals("a1"));
    }

    @Test
    void unitKeysAreDeterministicUniqueAndValidBatchCustomIds() {
        Pack pack = TinyPacks.of(3, 5, 20, List.of());
        CoverageMatrix m = new CoverageMatrix(pack);
        List<PlannedUnit> a = m.units(Phase.EXPANSION, m.combinations(PlanFilter.ALL), 0, 3);
        List<PlannedUnit> b = m.units(Phase.EXPANSION, m.combinations(PlanFilter.ALL), 0, 3);
        assertThat(a).isEqualTo(b).hasSize(900);
        assertThat(new HashSet<>(a.stream().map(PlannedUnit::key).toList())).hasSize(900);
        assertThat(a).allSatisfy(u -> assertThat(u.key()).matches("^[a-zA-Z0-9_-]{1,64}$"));
    }

    @Test
    void onlyFilterSlicesTheMatrix() {
        Pack pack = TinyPacks.of(3, 5, 20, List.of());
        assertThat(new CoverageMatrix(pack).combinations(PlanFilter.parse("persona=p1,arc=a2"))).hasSize(20);
    }
}
