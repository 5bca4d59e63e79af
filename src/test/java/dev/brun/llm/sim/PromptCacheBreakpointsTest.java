package dev.brun.llm.sim;

import dev.brun.llm.CacheTtl;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Several cache breakpoints in one request, billed as Anthropic documents them. */
class PromptCacheBreakpointsTest {
    private final PromptCacheModel cache = new PromptCacheModel(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    private static String chars(int tokens, char c) { return String.valueOf(c).repeat(tokens * 4); }

    private static List<PromptCacheModel.Breakpoint> two(String first, String second, CacheTtl ttl1, CacheTtl ttl2) {
        return List.of(new PromptCacheModel.Breakpoint(first, ttl1), new PromptCacheModel.Breakpoint(first + second, ttl2));
    }

    @Test
    void theLongestLivePrefixIsReadAndWhatFollowsItUpToTheLastBreakpointIsWritten() {
        String fixed = chars(2000, 's');
        String pairA = chars(600, 'a'), pairB = chars(600, 'b');
        long total = (fixed.length() + pairA.length()) / 4 + 200;
        var first = cache.account("claude-sonnet-4-5", two(fixed, pairA, CacheTtl.FIVE_MINUTES, CacheTtl.FIVE_MINUTES), total * 4, 0);
        assertThat(first).isEqualTo(new PromptCacheModel.Split(200, 0, 2600));
        var again = cache.account("claude-sonnet-4-5", two(fixed, pairA, CacheTtl.FIVE_MINUTES, CacheTtl.FIVE_MINUTES), total * 4, 0);
        assertThat(again).isEqualTo(new PromptCacheModel.Split(200, 2600, 0));
        var otherPair = cache.account("claude-sonnet-4-5", two(fixed, pairB, CacheTtl.FIVE_MINUTES, CacheTtl.FIVE_MINUTES), total * 4, 0);
        assertThat(otherPair).isEqualTo(new PromptCacheModel.Split(200, 2000, 600));
    }

    @Test
    void theMinimumCountsFromTheStartSoAShortFirstPrefixIsCachedWithTheSecond() {
        // Haiku 4.5: 4,096 tokens; the static part alone (3,000) is too short, with the pair block (3,000 + 1,500) it is not
        String fixed = chars(3000, 's'), pair = chars(1500, 'p');
        long totalChars = fixed.length() + pair.length() + 400;
        var first = cache.account("claude-haiku-4-5", two(fixed, pair, CacheTtl.FIVE_MINUTES, CacheTtl.FIVE_MINUTES), totalChars, 0);
        assertThat(first).isEqualTo(new PromptCacheModel.Split(100, 0, 4500));
        var second = cache.account("claude-haiku-4-5", two(fixed, pair, CacheTtl.FIVE_MINUTES, CacheTtl.FIVE_MINUTES), totalChars, 0);
        assertThat(second).isEqualTo(new PromptCacheModel.Split(100, 4500, 0));
        // a different pair block shares nothing cached: the static part never had an entry of its own
        var other = cache.account("claude-haiku-4-5", two(fixed, chars(1500, 'q'), CacheTtl.FIVE_MINUTES, CacheTtl.FIVE_MINUTES), totalChars, 0);
        assertThat(other).isEqualTo(new PromptCacheModel.Split(100, 0, 4500));
    }

    @Test
    void eachWrittenStretchTakesTheLifetimeOfTheBreakpointThatEndsIt() {
        String fixed = chars(2000, 's'), pair = chars(600, 'a');
        var split = cache.account("claude-sonnet-4-5", two(fixed, pair, CacheTtl.ONE_HOUR, CacheTtl.FIVE_MINUTES), (fixed.length() + pair.length()) + 40, 0);
        assertThat(split.cacheWrite()).isEqualTo(2600);
        assertThat(split.cacheWrite1h()).isEqualTo(2000);
        assertThat(split.cacheWrite5m()).isEqualTo(600);
    }
}
