package dev.brun.cli;

import picocli.CommandLine.Option;

/** --json: print one JSON document on stdout and nothing else there. */
public final class JsonMixin {
    @Option(names = "--json", description = "Print one JSON document on stdout (nothing else goes to stdout).")
    boolean json;

    public boolean enabled() { return json; }
}
