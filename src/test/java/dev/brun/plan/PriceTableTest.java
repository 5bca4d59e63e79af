package dev.brun.plan;

import dev.brun.llm.Usage;
import dev.brun.BadInputException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PriceTableTest {
    private final PriceTable prices = PriceTable.defaults();

    @Test
    void misspelledModelNamesTheClosestKnownModel() {
        assertThatThrownBy(() -> prices.price("claude-sonet-4-5")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("Did you mean claude-sonnet-4-5?");
        assertThatThrownBy(() -> prices.price("mystery-model-9")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("no price for model 'mystery-model-9'").hasMessageNotContaining("Did you mean");
    }

    @Test
    void plainCallCostsInputPlusOutputAtListPrice() {
        // 2,000 in + 1,500 out on Sonnet 4.5 ($3/$15): the seed document's $0.0285
        double cost = prices.cost("claude-sonnet-4-5", new Usage(2000, 1500, 0, 0), false);
        assertThat(cost).isCloseTo(0.0285, within(1e-9));
    }

    @Test
    void cacheWriteCostsOneAndAQuarterAndReadOneTenthOfInput() {
        double write = prices.cost("claude-haiku-4-5", new Usage(0, 0, 0, 1_000_000), false);
        double read = prices.cost("claude-haiku-4-5", new Usage(0, 0, 1_000_000, 0), false);
        assertThat(write).isCloseTo(1.25, within(1e-9));
        assertThat(read).isCloseTo(0.10, within(1e-9));
    }

    @Test
    void batchHalvesEverything() {
        Usage u = new Usage(1000, 2000, 3000, 4000);
        assertThat(prices.cost("claude-opus-4-5", u, true))
                .isCloseTo(prices.cost("claude-opus-4-5", u, false) / 2, within(1e-12));
    }

    @Test
    void datedSnapshotUsesItsAliasPriceAndOverridesReplaceDefaults() {
        assertThat(prices.price("claude-sonnet-4-5-20250929").inputPerMillion()).isEqualTo(3.0);
        PriceTable custom = prices.withOverride(new ModelPrice("claude-sonnet-4-5", 2.0, 10.0, 1024));
        assertThat(custom.cost("claude-sonnet-4-5", new Usage(1_000_000, 0, 0, 0), false)).isCloseTo(2.0, within(1e-9));
    }

    @Test
    void unknownModelIsBadInputNamingTheFix() {
        assertThatThrownBy(() -> prices.price("gpt-9")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("gpt-9").hasMessageContaining("brun.yaml");
    }
}
