package dev.brun.project;

import dev.brun.BadInputException;
import dev.brun.pack.Pack;
import dev.brun.pack.PackHash;
import dev.brun.pack.PackLoader;
import dev.brun.pack.Phase;
import dev.brun.plan.ModelPrice;
import dev.brun.plan.PriceTable;
import dev.brun.store.Database;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * An open project: its folder layout, brun.yaml, its validated pack and its database. Every command that
 * works on a project opens one of these and closes it when done.
 */
public final class Project implements AutoCloseable {
    private final ProjectLayout layout;
    private final ProjectConfig config;
    private final Pack pack;
    private final Database database;

    private Project(ProjectLayout layout, ProjectConfig config, Pack pack, Database database) {
        this.layout = layout;
        this.config = config;
        this.pack = pack;
        this.database = database;
    }

    /** Opens the project in dir (brun.yaml, pack/, database); a database URL given here wins over brun.yaml. */
    public static Project open(Path dir, String databaseUrlOverride) {
        ProjectLayout layout = ProjectLayout.of(dir);
        if (!layout.exists())
            throw new BadInputException(layout.root() + " is not a brun project (no brun.yaml); create one with 'brun init "
                    + layout.root() + "' or pass --project DIR");
        ProjectConfig config = ProjectConfigLoader.load(layout.root());
        if (!Files.isDirectory(layout.pack()))
            throw new BadInputException(layout.pack() + " is missing: the project's pack folder was moved or deleted");
        Pack pack = PackLoader.load(layout.pack());
        String url = databaseUrlOverride != null ? databaseUrlOverride : config.jdbcUrl(layout);
        Database db = Database.open(url, System.getenv("BRUN_DB_USER"), System.getenv("BRUN_DB_PASSWORD"));
        try {
            db.meta().putPackSnapshot(pack.hash(), pack.name(), PackHash.canonicalJson(pack));
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return new Project(layout, config, pack, db);
    }

    public static Project open(Path dir) { return open(dir, null); }

    public ProjectLayout layout() { return layout; }
    public ProjectConfig config() { return config; }
    public Pack pack() { return pack; }
    public Database db() { return database; }

    /** The model and temperature a phase runs with (brun.yaml over the pack's defaults). */
    public String model(Phase phase) { return config.effective(phase, pack).model(); }
    public double temperature(Phase phase) { return config.effective(phase, pack).temperature(); }

    /** The built-in price table with brun.yaml's overrides applied. */
    public PriceTable prices() {
        PriceTable table = PriceTable.defaults();
        for (Map.Entry<String, PriceOverride> e : config.prices().entrySet()) {
            PriceOverride o = e.getValue();
            int minPrefix = table.find(e.getKey()).map(ModelPrice::minCacheablePrefixTokens).orElse(1024);
            double in = o.input().doubleValue();
            table = table.withOverride(new ModelPrice(e.getKey(), in, o.output().doubleValue(), minPrefix,
                    orDefault(o.cacheWrite5m(), in * PriceTable.CACHE_WRITE_5M),
                    orDefault(o.cacheRead(), in * PriceTable.CACHE_READ),
                    orDefault(o.cacheWrite1h(), in * PriceTable.CACHE_WRITE_1H)));
        }
        return table;
    }

    /** The budget cap in dollars from brun.yaml, or infinity when none is set. */
    public double budgetCap() {
        return config.budgetUsd() == null ? Double.POSITIVE_INFINITY : config.budgetUsd().doubleValue();
    }

    private static double orDefault(BigDecimal v, double fallback) { return v == null ? fallback : v.doubleValue(); }

    @Override
    public void close() { database.close(); }
}
