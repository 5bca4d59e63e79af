package dev.brun.cli;

import dev.brun.web.WebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ServeCommandTest {
    @TempDir Path tmp;

    @Test
    void listensOnLoopbackPort7070WithoutTokenByDefault() {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs();
        assertThat(serve.host).isEqualTo("127.0.0.1");
        assertThat(serve.port).isEqualTo(7070);
        assertThat(serve.token).isNull();
        assertThat(ServeCommand.exposureWarning(new WebServer.Options(serve.host, serve.port, serve.token))).isEmpty();
    }

    @Test
    void anotherAddressWithoutTokenIsRefusedWithExitTwoBeforeAnythingListens() {
        CliRun run = CliRun.of("serve", "--project", tmp.toString(), "--host", "0.0.0.0", "--port", "0");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("0.0.0.0").contains("--token");
        assertThat(run.out()).doesNotContain("http://");
    }

    @Test
    void anotherAddressWithTokenIsWarnedAboutLoudly() {
        var warning = ServeCommand.exposureWarning(new WebServer.Options("0.0.0.0", 7070, "s3cret"));
        assertThat(warning).hasSizeGreaterThanOrEqualTo(2).allSatisfy(line -> assertThat(line).startsWith("WARNING:"));
        assertThat(String.join("\n", warning)).contains("0.0.0.0").contains("token").doesNotContain("s3cret");
    }

    @Test
    void aBadReviewersFileIsRefusedWithItsLineBeforeAnythingListens() throws Exception {
        Path file = tmp.resolve("reviewers.txt");
        java.nio.file.Files.writeString(file, "ana 7f3c9e0a1b2d4c5e\nben tooshort\n");
        CliRun run = CliRun.of("serve", "--project", tmp.toString(), "--reviewers", file.toString(), "--port", "0");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(file + " line 2: the token of 'ben' is shorter than 12 characters");
        assertThat(run.out()).doesNotContain("http://");
    }

    @Test
    void reviewersGuardANonLoopbackBindInsteadOfTheToken() {
        var reviewers = dev.brun.review.Reviewers.parse("r.txt", java.util.List.of("ana 7f3c9e0a1b2d4c5e"));
        var exposed = new WebServer.Options("0.0.0.0", 0, null, java.util.List.of(), reviewers);
        assertThat(exposed.exposed()).isTrue();
        assertThat(ServeCommand.exposureWarning(exposed)).isNotEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new WebServer.Options("127.0.0.1", 0, "s3cret", java.util.List.of(), reviewers))
                .isInstanceOf(dev.brun.BadInputException.class).hasMessageContaining("drop --token");
    }
}
