package dev.brun.run;

import dev.brun.plan.PriceTable;
import dev.brun.llm.Usage;
import dev.brun.store.Database;
import dev.brun.store.LedgerEntry;
import dev.brun.store.LedgerOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CacheSavingsTest {
    private static final PriceTable PRICES = PriceTable.defaults();

    @TempDir Path dir;

    private static LedgerEntry line(String model, Usage u, boolean batch) {
        double cost = PRICES.find(model).isPresent() ? PRICES.cost(model, u, batch) : 0.01;
        return new LedgerEntry(null, "u", "seed", "simulated", model, "req", u.inputTokens(), u.outputTokens(),
                u.cacheReadTokens(), u.cacheWriteTokens(), u.cacheWrite1hTokens(), cost, batch, LedgerOutcome.STORED, Instant.now());
    }

    @Test
    void savingsAreReadsAtFullInputPriceMinusTheWritePremiumWithBatchCallsAtHalfPrice() {
        try (Database db = Database.openSqlite(dir.resolve("brun.db"))) {
            Usage sonnet = new Usage(1_000, 2_000, 90_000, 10_000);
            Usage haiku = new Usage(2_000, 4_000, 400_000, 5_000);
            db.ledger().record(line("claude-sonnet-4-5", sonnet, false));
            db.ledger().record(line("claude-haiku-4-5", haiku, true));
            db.ledger().record(line("some-unpriced-model", new Usage(10, 10, 1_000, 0), false));

            CacheSavings s = CacheSavings.of(db.ledger(), PRICES);

            double sonnetSaved = (90_000 * (3.0 - 0.3) - 10_000 * (3.75 - 3.0)) / 1e6;
            double haikuSaved = (400_000 * (1.0 - 0.1) - 5_000 * (1.25 - 1.0)) / 1e6 * 0.5;
            assertThat(s.savedUsd()).isCloseTo(sonnetSaved + haikuSaved, within(1e-9));
            assertThat(s.spentUsd()).isCloseTo(db.ledger().totalSpend(), within(1e-12));
            assertThat(s.withoutCachingUsd()).isCloseTo(s.spentUsd() + s.savedUsd(), within(1e-12));
            long prompt = 1_000 + 90_000 + 10_000 + 2_000 + 400_000 + 5_000 + 10 + 1_000;
            assertThat(s.promptTokens()).isEqualTo(prompt);
            assertThat(s.hitRate()).isCloseTo((90_000 + 400_000 + 1_000) / (double) prompt, within(1e-12));
        }
    }

    @Test
    void oneHourWritesCarryTheLargerPremium() {
        try (Database db = Database.openSqlite(dir.resolve("brun.db"))) {
            // one batch: 6,000 tokens written for an hour (2x input), 4,000 for five minutes (1.25x), 100,000 read
            Usage u = new Usage(1_000, 2_000, 100_000, 10_000, 6_000);
            db.ledger().record(line("claude-sonnet-4-5", u, true));

            CacheSavings s = CacheSavings.of(db.ledger(), PRICES);

            double saved = (100_000 * (3.0 - 0.3) - 4_000 * (3.75 - 3.0) - 6_000 * (6.0 - 3.0)) / 1e6 * 0.5;
            assertThat(s.savedUsd()).isCloseTo(saved, within(1e-9));
            // without caching: every prompt token at the batch input price
            assertThat(s.withoutCachingUsd()).isCloseTo((111_000 * 3.0 + 2_000 * 15.0) / 1e6 * 0.5, within(1e-9));
        }
    }

    @Test
    void anEmptyLedgerSavedNothing() {
        try (Database db = Database.openSqlite(dir.resolve("brun.db"))) {
            CacheSavings s = CacheSavings.of(db.ledger(), PRICES);
            assertThat(s.hitRate()).isZero();
            assertThat(s.savedUsd()).isZero();
        }
    }
}
