package dev.brun.cli;

import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;

/**
 * How the user started brun, so that hints name a command they can paste: {@code ./brun} from a checkout,
 * {@code brun} when a launcher is on the PATH. The {@code brun} script passes both facts as system properties.
 *
 * @param command  the command as the user typed it ("brun", "./brun", "../brun")
 * @param launcher the brun script that started this JVM, or null when started another way (java -jar)
 */
public record Invocation(String command, Path launcher) {
    public static final String COMMAND_PROPERTY = "brun.invocation";
    public static final String LAUNCHER_PROPERTY = "brun.launcher";

    public Invocation {
        if (command == null || command.isBlank()) command = "brun";
    }

    /** From the properties the brun script sets; plain "brun" without them. */
    public static Invocation fromSystemProperties() {
        String launcher = System.getProperty(LAUNCHER_PROPERTY);
        return new Invocation(System.getProperty(COMMAND_PROPERTY), launcher == null || launcher.isBlank() ? null : Path.of(launcher));
    }

    /** The invocation of the command line a command belongs to. */
    static Invocation of(CommandSpec spec) {
        return spec.root().userObject() instanceof Main main ? main.invocation() : new Invocation("brun", null);
    }

    /** A command line to suggest: the invocation followed by the arguments. */
    public String hint(String arguments) { return command + " " + arguments; }
}
