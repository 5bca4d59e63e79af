package dev.brun.pack;

import java.util.List;
import java.util.Optional;

/** Where a pack's files come from: a folder on disk or the classpath (the packs built into the jar). */
public sealed interface PackSource permits DirectoryPackSource, ClasspathPackSource {
    /** The pack's name when pack.yaml does not give one. */
    String defaultName();

    /** For messages: "pack folder /x/pack" or "built-in pack financial-planning". */
    String describe();

    /** The text of a file given relative to the pack root ("personas/overwhelmed_avoider.yaml"); empty when absent. */
    Optional<String> read(String relativePath);

    /** The YAML files directly inside folder, sorted by name, as relative paths. */
    List<String> yamlFiles(String folder);

    /** Every file of the pack, relative to its root, for copying it. */
    List<String> allFiles();
}
