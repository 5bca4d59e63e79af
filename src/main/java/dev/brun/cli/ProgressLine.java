package dev.brun.cli;

import dev.brun.run.ProgressListener;
import dev.brun.run.RunProgress;

import java.io.PrintWriter;

/**
 * The progress bar on stderr: done/total, rate, ETA, dollars so far, retries and 429s, cache hit rate.
 * On a terminal it redraws one line; otherwise (CI logs, pipes) it prints a line every few seconds. It is fed
 * after every unit and by a ticker, so that it keeps moving while every call waits on the provider.
 */
final class ProgressLine implements ProgressListener {
    private final PrintWriter err;
    private final boolean terminal;
    private long lastPrint;
    private RunProgress last;
    private boolean finalPrinted;

    ProgressLine(PrintWriter err) {
        this.err = err;
        this.terminal = System.console() != null;
    }

    @Override
    public synchronized void onProgress(RunProgress p) {
        last = p;
        long now = System.currentTimeMillis();
        boolean finished = p.finished() >= p.total();
        if (finalPrinted || (!finished && now - lastPrint < (terminal ? 200 : 3000))) return;
        finalPrinted = finished;
        lastPrint = now;
        String line = render(p);
        if (terminal) err.print("\r" + line + "   ");
        else err.println(line);
        err.flush();
    }

    synchronized void finish() {
        if (terminal && last != null) {
            err.println();
            err.flush();
        }
    }

    static String render(RunProgress p) {
        int width = 24;
        int filled = p.total() == 0 ? width : (int) Math.round(width * (double) p.finished() / p.total());
        String bar = "#".repeat(Math.min(width, filled)) + ".".repeat(Math.max(0, width - filled));
        long eta = p.etaSeconds();
        String line = String.format("[%s] %d/%d  %.1f/s  ETA %s  $%.4f  failed %d  retries %d  429s %d  cache %.0f%%",
                bar, p.finished(), p.total(), p.rate(), eta < 0 ? "?" : eta / 60 + "m" + String.format("%02d", eta % 60) + "s",
                p.spentUsd(), p.failed(), p.retries(), p.rateLimited(), p.cacheHitRate() * 100);
        // calls in flight and the oldest one's age: a provider that stops answering shows here, not as a frozen line
        if (p.callsInFlight() > 0) line += String.format("  in flight %d (oldest %ds)", p.callsInFlight(), p.oldestCallMillis() / 1000);
        // say why a run is slower than its concurrency allows, once that is worth saying
        return p.rateLimitWaitShare() >= 0.05 ? line + String.format("  waiting for rate limit %.0f%%", p.rateLimitWaitShare() * 100) : line;
    }
}
