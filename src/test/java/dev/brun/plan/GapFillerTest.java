package dev.brun.plan;

import dev.brun.pack.Pack;
import dev.brun.pack.PackLoader;
import dev.brun.pack.Phase;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class GapFillerTest {
    private static final Pack PACK = PackLoader.loadBuiltin("financial-planning");

    private static Map<String, Long> counts(List<PlannedUnit> units, java.util.function.Function<PlannedUnit, String> key) {
        Map<String, Long> m = new HashMap<>();
        units.forEach(u -> m.merge(key.apply(u), 1L, Long::sum));
        return m;
    }

    @Test
    void anEmptyProjectGetsExactlyTheLargestShortfallAndEveryMinimumIsMet() {
        GapFiller.Fill fill = new GapFiller(PACK).plan(Map.of(), Map.of(), k -> false);

        // 20 topics x 30 = 600 is the largest shortfall (personas 3 x 100, arcs 5 x 60 = 300 each)
        assertThat(fill.fewestUnits()).isEqualTo(600);
        assertThat(fill.units()).hasSize(600).allSatisfy(u -> assertThat(u.phase()).isEqualTo(Phase.EDGE));
        Map<String, Long> personas = counts(fill.units(), PlannedUnit::personaKey);
        Map<String, Long> arcs = counts(fill.units(), PlannedUnit::arcKey);
        Map<String, Long> topics = counts(fill.units(), PlannedUnit::topicKey);
        PACK.personas().forEach(p -> assertThat(personas.get(p.key())).isGreaterThanOrEqualTo(100));
        PACK.arcs().forEach(a -> assertThat(arcs.get(a.key())).isGreaterThanOrEqualTo(60));
        PACK.topics().forEach(t -> assertThat(topics.get(t.key())).isEqualTo(30));
        assertThat(fill.units().stream().map(PlannedUnit::key).distinct()).hasSize(600);
    }

    @Test
    void usableConversationsAndWaitingUnitsCountAndOnlyTheRemainderIsPlanned() {
        Map<String, Map<String, Long>> usable = new HashMap<>();
        PACK.personas().forEach(p -> usable.computeIfAbsent("persona", k -> new HashMap<>()).put(p.key(), 100L));
        PACK.arcs().forEach(a -> usable.computeIfAbsent("arc", k -> new HashMap<>()).put(a.key(), 60L));
        PACK.topics().forEach(t -> usable.computeIfAbsent("topic", k -> new HashMap<>()).put(t.key(), 30L));
        String shortTopic = PACK.topics().get(3).key();
        usable.get("topic").put(shortTopic, 25L);
        Map<String, Map<String, Long>> open = Map.of("topic", Map.of(shortTopic, 2L));
        Set<String> taken = new java.util.HashSet<>();

        GapFiller.Fill fill = new GapFiller(PACK).plan(usable, open, key -> taken.contains(key));

        assertThat(fill.units()).hasSize(3).allSatisfy(u -> assertThat(u.topicKey()).isEqualTo(shortTopic));
        GapFiller.Need need = fill.needs().stream().filter(n -> n.key().equals(shortTopic)).findFirst().orElseThrow();
        assertThat(need).isEqualTo(new GapFiller.Need("topic", shortTopic, 30, 25, 2, 3));
        assertThat(fill.needs().stream().filter(n -> !n.key().equals(shortTopic))).allSatisfy(n -> assertThat(n.lacking()).isZero());
    }

    @Test
    void newUnitsTakeTheNextFreeVariationOfAnAlreadyPlannedCombination() {
        Map<String, Map<String, Long>> usable = new HashMap<>();
        PACK.personas().forEach(p -> usable.computeIfAbsent("persona", k -> new HashMap<>()).put(p.key(), 100L));
        PACK.arcs().forEach(a -> usable.computeIfAbsent("arc", k -> new HashMap<>()).put(a.key(), 60L));
        PACK.topics().forEach(t -> usable.computeIfAbsent("topic", k -> new HashMap<>()).put(t.key(), 30L));
        String topic = PACK.topics().getFirst().key();
        usable.get("topic").put(topic, 29L);
        GapFiller.Fill first = new GapFiller(PACK).plan(usable, Map.of(), k -> false);
        String firstKey = first.units().getFirst().key();

        GapFiller.Fill again = new GapFiller(PACK).plan(usable, Map.of(), firstKey::equals);

        assertThat(again.units()).hasSize(1);
        assertThat(again.units().getFirst().key()).isNotEqualTo(firstKey);
        assertThat(again.units().getFirst().variationIndex()).isEqualTo(first.units().getFirst().variationIndex() + 1);
    }
}
