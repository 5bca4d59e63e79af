package dev.brun.quality;

import dev.brun.pack.Consultant;
import dev.brun.pack.Pack;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class VoiceCheckTest {
    private static Pack withVoice(Pack p, List<String> techniques, List<String> avoid) {
        Consultant c = p.consultant();
        Consultant other = new Consultant(c.name(), c.credentials(), c.business(), c.vertical(), c.expertise(), c.yearsExperience(),
                List.of(), c.tone(), techniques, avoid);
        return new Pack(p.name(), p.hash(), other, p.personas(), p.arcs(), p.topics(), p.rules());
    }

    @Test
    void aPackThatDoesNotAskForAVoiceRuleIsNotHeldToIt() {
        Pack plain = withVoice(TestPack.financialPlanning(), List.of(), List.of());
        var check = new VoiceCheck();
        for (String id : List.of("c-judgment-1", "c-platitude-2", "c-jargon-1", "c-facts-first-3", "real-06")) {
            assertThat(check.check(Fixtures.byId(id), plain)).as(id).isEmpty();
        }
    }

    @Test
    void aPackLexiconReplacesTheDefaultWords() {
        VoiceLexicon d = VoiceLexicon.defaults();
        VoiceLexicon legal = new VoiceLexicon(d.feelingMarkers(), d.permissionMarkers(), d.educatingMarkers(),
                Map.of("ratio", List.of("a share of")), List.of("you were careless"), List.of("it is what it is"));
        var pack = TestPack.financialPlanning();
        var flags = new VoiceCheck(legal).check(Fixtures.byId("c-jargon-2"), pack);
        assertThat(flags).extracting(f -> f.code()).contains("unexplained_jargon");
        assertThat(flags).filteredOn(f -> f.code().equals("unexplained_jargon")).first()
                .satisfies(f -> assertThat(f.reason()).contains("\"ratio\""));
        // the default judgment phrases are gone with the override
        assertThat(new VoiceCheck(legal).check(Fixtures.byId("c-judgment-1"), pack)).noneMatch(f -> f.code().equals("judgment"));
    }
}
