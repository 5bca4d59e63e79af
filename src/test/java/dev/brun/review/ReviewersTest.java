package dev.brun.review;

import dev.brun.BadInputException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReviewersTest {
    @Test
    void readsNameTokenAndYamlStyleLinesSkippingCommentsAndBlanks(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("reviewers.yaml");
        Files.writeString(file, "# reviewers of the March batch\n\nana 7f3c9e0a1b2d4c5e\nBen Okafor: \"0c1d2e3f4a5b6c7d\"\n");
        Reviewers r = Reviewers.read(file);
        assertThat(r.all()).extracting(Reviewers.Reviewer::name).containsExactly("ana", "Ben Okafor");
        assertThat(r.byToken("0c1d2e3f4a5b6c7d")).map(Reviewers.Reviewer::name).hasValue("Ben Okafor");
        assertThat(r.byToken("0c1d2e3f4a5b6c7")).isEmpty();
        assertThat(r.byToken(null)).isEmpty();
        assertThat(r.all().getFirst().toString()).doesNotContain("7f3c9e0a");
    }

    @Test
    void badLinesAreNamedByFileAndLine() {
        assertThatThrownBy(() -> Reviewers.parse("team.txt", List.of("ana 7f3c9e0a1b2d4c5e", "ben")))
                .isInstanceOf(BadInputException.class).hasMessage("team.txt line 2: needs a name and a token separated by a space, like: ana 7f3c9e0a1b2d4c5e");
        assertThatThrownBy(() -> Reviewers.parse("team.txt", List.of("", "ben short")))
                .hasMessageStartingWith("team.txt line 2: the token of 'ben' is shorter than 12 characters");
        assertThatThrownBy(() -> Reviewers.parse("team.txt", List.of("ana 7f3c9e0a1b2d4c5e", "ana 0c1d2e3f4a5b6c7d")))
                .hasMessage("team.txt line 2: reviewer 'ana' is already on line 1");
        assertThatThrownBy(() -> Reviewers.parse("team.txt", List.of("ana 7f3c9e0a1b2d4c5e", "ben: 7f3c9e0a1b2d4c5e")))
                .hasMessageStartingWith("team.txt line 2: this token is already given to the reviewer on line 1");
        assertThatThrownBy(() -> Reviewers.parse("team.txt", List.of("ben:")))
                .hasMessage("team.txt line 1: reviewer 'ben' has no token");
        assertThatThrownBy(() -> Reviewers.parse("team.txt", List.of("<b>x</b> 7f3c9e0a1b2d4c5e")))
                .hasMessageStartingWith("team.txt line 1: the name '<b>x</b>' may hold only");
        assertThatThrownBy(() -> Reviewers.parse("team.txt", List.of("# nobody yet")))
                .hasMessage("team.txt: no reviewer in the file; write one per line as NAME TOKEN");
    }

    @Test
    void aMissingFileSaysWhichFile(@org.junit.jupiter.api.io.TempDir Path dir) {
        assertThatThrownBy(() -> Reviewers.read(dir.resolve("nope.txt")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("nope.txt");
    }
}
