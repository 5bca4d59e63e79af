package dev.brun.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs a brun command line in-process and captures stdout, stderr and the exit code. */
public record CliRun(int exitCode, String out, String err) {
    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }
}
