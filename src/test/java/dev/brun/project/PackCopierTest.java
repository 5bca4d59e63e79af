package dev.brun.project;

import dev.brun.BadInputException;
import dev.brun.pack.Pack;
import dev.brun.pack.PackFixture;
import dev.brun.pack.PackLoader;
import dev.brun.pack.PackValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PackCopierTest {
    @TempDir Path tmp;

    @Test
    void copiesTheBuiltinPackWithItsHash() {
        Path target = ProjectLayout.of(tmp.resolve("p")).pack();
        Pack copied = PackCopier.copy("financial-planning", target);
        assertThat(copied.hash()).isEqualTo(PackLoader.loadBuiltin("financial-planning").hash());
        assertThat(target.resolve("personas/overwhelmed_avoider.yaml")).isRegularFile();
        assertThat(target.resolve("topics.yaml")).isRegularFile();
    }

    @Test
    void copiesAFolderPack() {
        PackFixture source = PackFixture.copyOfDefault(tmp.resolve("src"))
                .edit("personas/overwhelmed_avoider.yaml", "age: 37", "age: 36");
        Pack copied = PackCopier.copy(source.dir().toString(), tmp.resolve("dest"));
        assertThat(copied.persona("overwhelmed_avoider").orElseThrow().age()).isEqualTo(36);
    }

    @Test
    void refusesANonEmptyTarget() throws IOException {
        Path target = tmp.resolve("pack");
        Files.createDirectories(target);
        Files.writeString(target.resolve("mine.txt"), "keep me");
        assertThatThrownBy(() -> PackCopier.copy("financial-planning", target))
                .isInstanceOf(BadInputException.class).hasMessageContaining("not empty");
        assertThat(Files.readString(target.resolve("mine.txt"))).isEqualTo("keep me");
    }

    @Test
    void anInvalidPackWritesNothing() throws IOException {
        PackFixture source = PackFixture.copyOfDefault(tmp.resolve("src"))
                .edit("personas/overwhelmed_avoider.yaml", "age: 37", "age: old");
        Path target = tmp.resolve("dest");
        assertThatThrownBy(() -> PackCopier.copy(source.dir().toString(), target))
                .isInstanceOf(PackValidationException.class);
        assertThat(target).doesNotExist();
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("src");
        }
    }
}
