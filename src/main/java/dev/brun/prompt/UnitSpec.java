package dev.brun.prompt;

import dev.brun.pack.Arc;
import dev.brun.pack.Persona;
import dev.brun.pack.Phase;
import dev.brun.pack.Topic;

/** The unit a prompt is built for: one persona x arc x topic combination, one variation, one phase. */
public record UnitSpec(String unitKey, Phase phase, Persona persona, Arc arc, Topic topic, int variationIndex) {}
