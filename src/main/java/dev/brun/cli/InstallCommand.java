package dev.brun.cli;

import dev.brun.BadInputException;
import dev.brun.project.Launcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** brun install [DIR]: a brun launcher on the PATH that runs this checkout. */
@Command(name = "install", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Put a 'brun' launcher in DIR (default ~/.local/bin) that runs this checkout's ./brun, so 'brun ...' works anywhere.",
                "Says whether DIR is on your PATH. Run it through the ./brun script."})
public final class InstallCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin JsonMixin json;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Folder for the launcher (default: ~/.local/bin).")
    Path dir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Invocation invocation = Invocation.of(spec);
        if (invocation.launcher() == null)
            throw new BadInputException("brun install needs to know the checkout's launcher: run it as ./brun install [DIR] from the checkout");
        Path folder = dir != null ? dir : Path.of(System.getProperty("user.home"), ".local", "bin");
        Launcher.Installed done = Launcher.install(folder, invocation.launcher(), System.getenv("PATH"));
        if (json.enabled()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("launcher", done.script().toString());
            doc.put("runs", done.target().toString());
            doc.put("on_path", done.onPath());
            doc.put("replaced", done.replaced());
            Json.print(out, doc);
            return 0;
        }
        out.println((done.replaced() ? "Replaced " : "Wrote ") + done.script() + ": it runs " + done.target() + ".");
        if (done.onPath()) out.println(done.script().getParent() + " is on your PATH: 'brun --version' works from any folder now.");
        else {
            out.println(done.script().getParent() + " is NOT on your PATH. Add it, e.g. in ~/.bashrc or ~/.profile:");
            out.println("  export PATH=\"" + done.script().getParent() + ":$PATH\"");
        }
        return 0;
    }
}
