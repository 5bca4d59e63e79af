package dev.brun.store;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Whether a database already holds every migration brun ships, read straight from Flyway's history table.
 * Flyway's own look at the schema (scanning and validating every migration) took a large share of each
 * command's start; it runs only when this says the database is behind or cannot tell.
 */
final class SchemaVersion {
    private static final Pattern VERSIONED = Pattern.compile("V([0-9][0-9._]*)__.*\\.sql");

    private SchemaVersion() {}

    /** True when the applied migrations are exactly the shipped ones and none failed; false whenever in doubt. */
    static boolean upToDate(DataSource dataSource, String... locations) {
        Set<String> shipped = shipped(locations);
        if (shipped.isEmpty()) return false;
        Set<String> applied = new HashSet<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL")) {
            while (rs.next()) {
                if (!rs.getBoolean("success")) return false;
                applied.add(normalise(rs.getString("version")));
            }
        } catch (SQLException noHistoryYet) {
            return false;
        }
        return applied.equals(shipped);
    }

    /** Versions of the migration files at these classpath locations (folders or folders inside a jar). */
    static Set<String> shipped(String... locations) {
        Set<String> versions = new HashSet<>();
        ClassLoader loader = SchemaVersion.class.getClassLoader();
        for (String location : locations) {
            URL url = loader.getResource(location);
            if (url == null) continue;
            try {
                if ("file".equals(url.getProtocol())) {
                    try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                        files.forEach(f -> add(versions, f.getFileName().toString()));
                    }
                } else if ("jar".equals(url.getProtocol())) {
                    var jar = ((JarURLConnection) url.openConnection()).getJarFile();
                    String prefix = location.endsWith("/") ? location : location + "/";
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                        String name = e.nextElement().getName();
                        if (name.startsWith(prefix) && name.indexOf('/', prefix.length()) < 0) add(versions, name.substring(prefix.length()));
                    }
                } else {
                    return Set.of(); // a classpath we cannot list: let Flyway look
                }
            } catch (IOException | URISyntaxException | RuntimeException e) {
                return Set.of();
            }
        }
        return versions;
    }

    private static void add(Set<String> versions, String fileName) {
        Matcher m = VERSIONED.matcher(fileName);
        if (m.matches()) versions.add(normalise(m.group(1)));
    }

    /** Flyway treats 1_1 and 1.1 alike, and 01 as 1. */
    static String normalise(String version) {
        String[] parts = version.replace('_', '.').split("\\.");
        StringBuilder out = new StringBuilder();
        for (String p : parts) {
            if (!out.isEmpty()) out.append('.');
            String trimmed = p.replaceFirst("^0+(?=.)", "");
            out.append(trimmed);
        }
        return out.toString().replaceAll("(\\.0)+$", "");
    }
}
