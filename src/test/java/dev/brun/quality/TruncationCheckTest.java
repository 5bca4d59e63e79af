package dev.brun.quality;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class TruncationCheckTest {
    @ParameterizedTest
    @ValueSource(strings = {
            "Does that sound like a useful place to start?",
            "Here is the plan:\n- max the 401(k) match\n- build the emergency fund\n- then invest",
            "I'm rooting for you 🎉",
            "Say it plainly: \"I would like a base of $150,000.\"",
            "Try opening with “I am excited about this role”",
            "You've already done the hard part (truly).",
            "That's the whole framework…",
            "Call me after the meeting!"})
    void acceptsRepliesThatEndProperly(String reply) {
        assertThat(TruncationCheck.reason(reply)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Let's compare the two offers and the",
            "The difference is about \\",
            "Put the rest into the hybrid policy (which covers",
            "Three steps:\n1. Ask for the number\n2.",
            "Here are the numbers to bring:",
            "She said “we can do better than",
            "It comes down to cash flow, equity,"})
    void flagsRepliesCutOff(String reply) {
        assertThat(TruncationCheck.reason(reply)).isNotNull();
    }
}
