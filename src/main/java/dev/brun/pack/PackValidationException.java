package dev.brun.pack;

import java.util.List;

/** A pack with mistakes: every problem in every file of the pack (exit code 2). */
public class PackValidationException extends YamlValidationException {
    public PackValidationException(String what, List<PackProblem> problems) {
        super(what, problems);
    }
}
