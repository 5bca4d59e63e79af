package dev.brun.cli;

import dev.brun.BrunVersion;
import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[]{"brun " + BrunVersion.get(), "Java " + Runtime.version()};
    }
}
