package dev.brun.pack;

import java.util.List;

/**
 * A client the consultant talks to (personas/*.yaml). One age, one family situation, one income range:
 * the quality checks compare what the user says against these facts.
 */
public record Persona(String key, String name, String archetype, int age, String gender, String location,
                      String family, String occupation, int incomeMin, int incomeMax, String financialSituation,
                      String emotionalBaseline, String communicationStyle, List<String> typicalPhrases,
                      List<String> goals) {
    public Persona {
        typicalPhrases = List.copyOf(typicalPhrases);
        goals = List.copyOf(goals);
    }

    /** "$120K-$160K" */
    public String incomeRange() {
        return "$" + (incomeMin / 1000) + "K-$" + (incomeMax / 1000) + "K";
    }
}
