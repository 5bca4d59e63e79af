package dev.brun.pack;

import java.util.List;

/** The voice every conversation must carry (consultant.yaml). */
public record Consultant(String name, String credentials, String business, String vertical, List<String> expertise,
                         int yearsExperience, List<Principle> principles, List<String> tone,
                         List<String> techniques, List<String> avoid) {
    public Consultant {
        expertise = List.copyOf(expertise);
        principles = List.copyOf(principles);
        tone = List.copyOf(tone);
        techniques = List.copyOf(techniques);
        avoid = List.copyOf(avoid);
    }

    /** "Elena Morales, CFP" style display name. */
    public String displayName() {
        return credentials == null || credentials.isBlank() ? name : name + ", " + credentials;
    }
}
