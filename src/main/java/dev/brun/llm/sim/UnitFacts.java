package dev.brun.llm.sim;

import java.util.List;

/**
 * The facts of one unit of work the simulated provider writes a conversation from. They reach it through a
 * {@link UnitDirectory} it was constructed with, never through the prompt, so a real model is sent only the
 * prose it needs. An exchange is one user turn plus one assistant reply.
 */
public record UnitFacts(String unitKey, int variationIndex, String variationHint, Consultant consultant,
                        Persona persona, Arc arc, Topic topic) {
    public record Consultant(String name) {}

    public record Persona(String key, String name, int age, String gender, String family, String occupation,
                          String location, long incomeMin, long incomeMax, List<String> typicalPhrases) {
        public Persona {
            typicalPhrases = typicalPhrases == null ? List.of() : List.copyOf(typicalPhrases);
            if (incomeMin < 0 || incomeMax <= 0 || incomeMax < incomeMin) {
                throw new IllegalArgumentException("persona " + key + " needs 0 <= income_min <= income_max and income_max > 0, got "
                        + incomeMin + ".." + incomeMax + " (the simulated user states an income in this range)");
            }
        }
    }

    public record Arc(String key, String name, String startEmotion, double startIntensity, List<String> startFamily,
                      String endEmotion, double endIntensity, List<String> endFamily, List<String> stages,
                      int minExchanges, int maxExchanges) {
        public Arc {
            startFamily = startFamily == null ? List.of() : List.copyOf(startFamily);
            endFamily = endFamily == null ? List.of() : List.copyOf(endFamily);
            stages = stages == null ? List.of() : List.copyOf(stages);
            if (stages.isEmpty()) throw new IllegalArgumentException("arc " + key + " must list at least one stage key");
            if (minExchanges < 1 || maxExchanges < minExchanges) {
                throw new IllegalArgumentException("arc " + key + " needs 1 <= min_exchanges <= max_exchanges, got "
                        + minExchanges + ".." + maxExchanges);
            }
        }
    }

    public record Topic(String key, String name, String description, List<String> keyTerms) {
        public Topic {
            keyTerms = keyTerms == null ? List.of() : List.copyOf(keyTerms);
        }
    }
}
