package dev.brun.run;

import java.net.InetAddress;
import java.util.Optional;
import java.util.UUID;

/**
 * Lease owner names of the form host:pid:nonce. A run on the same host can tell that the process holding a
 * lease is gone (killed with -9) and take its units back at once instead of waiting for the lease to expire.
 */
public record LeaseOwner(String host, long pid, String nonce) {
    public static LeaseOwner current() {
        return new LeaseOwner(hostName(), ProcessHandle.current().pid(), UUID.randomUUID().toString().substring(0, 8));
    }

    public String id() { return host + ":" + pid + ":" + nonce; }

    public static Optional<LeaseOwner> parse(String id) {
        if (id == null) return Optional.empty();
        String[] parts = id.split(":");
        if (parts.length != 3) return Optional.empty();
        try {
            return Optional.of(new LeaseOwner(parts[0], Long.parseLong(parts[1]), parts[2]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** True when this owner ran on this host and its process no longer exists. */
    public boolean deadOnThisHost() {
        return host.equals(hostName()) && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName().replace(':', '_');
        } catch (Exception e) {
            return "localhost";
        }
    }
}
