package dev.brun.pack;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DefaultPackTest {
    @Test
    void loadsThreePersonasFiveArcsTwentyTopics() {
        Pack pack = PackLoader.loadBuiltin("financial-planning");
        assertThat(pack.name()).isEqualTo("financial-planning");
        assertThat(pack.personas()).extracting(Persona::key)
                .containsExactlyInAnyOrder("marcus_chen", "jennifer_martinez", "david_chen");
        assertThat(pack.arcs()).extracting(Arc::key).containsExactlyInAnyOrder("confusion_to_clarity",
                "shame_to_acceptance", "couple_conflict_to_alignment", "anxiety_to_confidence", "grief_to_healing");
        assertThat(pack.topics()).hasSize(20);
        assertThat(pack.hash()).hasSize(64);
    }
}
