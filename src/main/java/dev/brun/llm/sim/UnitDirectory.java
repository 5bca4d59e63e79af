package dev.brun.llm.sim;

import java.util.Map;
import java.util.Optional;

/**
 * Where the simulated provider learns the facts of the unit a request is for. It runs in-process, so it is
 * handed this by construction instead of reading facts from the prompt: what travels on the wire is only
 * what a real model needs. A request names its unit by the unit key in its user instruction.
 */
@FunctionalInterface
public interface UnitDirectory {
    /** A directory that knows no unit: the simulator then answers only tools other than the conversation's. */
    UnitDirectory NONE = text -> Optional.empty();

    /** The facts of the unit this request's user instruction names, if this directory knows it. */
    Optional<UnitFacts> find(String userInstruction);

    /** A fixed set of units, keyed by unit key: a request names one when its instruction has the key as a word. */
    static UnitDirectory of(Map<String, UnitFacts> byKey) {
        return text -> {
            for (String word : text.split("\\s+")) {
                UnitFacts facts = byKey.get(word.replaceAll("^[\\p{Punct}&&[^_-]]+|[\\p{Punct}&&[^_-]]+$", ""));
                if (facts != null) return Optional.of(facts);
            }
            return Optional.empty();
        };
    }
}
