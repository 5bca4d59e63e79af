package dev.brun.export;

import dev.brun.conversation.ReviewStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ImportedConversationTest {
    private final ImportedConversation seed = new Importer(TestPacks.financialPlanning())
            .read(TestPacks.REFERENCE.resolve("seed-conversations/convo-06.json")).conversations().getFirst();

    @Test
    void seedFilesBecomeOneImportedConversationWithPersonaFromTheClientName() {
        var c = seed.conversation();
        assertThat(c.id()).isEqualTo("fp_jennifer_001");
        assertThat(c.scaffolding().personaKey()).isEqualTo("anxious_planner");
        assertThat(c.scaffolding().phase()).isEqualTo("seed");
        assertThat(c.turns()).hasSize(8);
        assertThat(c.turns().get(0).emotion().valence()).isNotNull();
        assertThat(c.turns().get(1).skills()).isNotEmpty().doesNotContain("anxious_planner");
        assertThat(seed.scores().overall()).isEqualTo(5.0);
        assertThat(seed.review().status()).isEqualTo(ReviewStatus.APPROVED);
    }

    @Test
    void rekeyedAndAsSeedChangeOnlyWhatTheySay() {
        ImportedConversation moved = seed.rekeyed(null, "shame_to_acceptance", "emergency_fund").asSeed();
        assertThat(moved.conversation().scaffolding().personaKey()).isEqualTo("anxious_planner");
        assertThat(moved.conversation().scaffolding().arcKey()).isEqualTo("shame_to_acceptance");
        assertThat(moved.conversation().scaffolding().topicKey()).isEqualTo("emergency_fund");
        assertThat(moved.conversation().turns()).isEqualTo(seed.conversation().turns());
        assertThat(moved.review().seed()).isTrue();
        assertThat(moved.review().notes()).isEqualTo(seed.review().notes());
    }

    @Test
    void personaKeysAreDerivedFromArchetypeNames() {
        assertThat(Importer.personaKeyFromName("Marcus Thompson - The Overwhelmed Avoider")).isEqualTo("overwhelmed_avoider");
        assertThat(Importer.personaKeyFromName(null)).isEqualTo("unspecified");
    }
}
