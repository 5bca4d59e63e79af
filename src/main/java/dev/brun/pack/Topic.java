package dev.brun.pack;

import java.util.List;

/** A training topic (topics.yaml). keyTerms are words a conversation on this topic is expected to use. */
public record Topic(String key, String name, String category, String description, String complexity,
                    List<String> keyTerms) {
    public Topic {
        keyTerms = List.copyOf(keyTerms);
    }
}
