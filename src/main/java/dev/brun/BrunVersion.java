package dev.brun;

/** The version written into manifests and --version; read from the jar manifest, "dev" when run from classes. */
public final class BrunVersion {
    private BrunVersion() {}

    public static String get() {
        String v = BrunVersion.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-dev" : v;
    }
}
