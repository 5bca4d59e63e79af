/**
 * The simulated provider ({@link dev.brun.llm.sim.SimulatedProvider}, used by {@code --provider simulated}
 * and {@code ./brun demo}) and the scriptable {@link dev.brun.llm.sim.FakeProviderServer} it is built on,
 * which tests use as the wire-level double of Anthropic (Messages and Message Batches) and of
 * OpenAI-compatible servers. The simulator learns each unit's facts from the {@link dev.brun.llm.sim.UnitDirectory}
 * it is constructed with, keyed by the unit key the request's instruction names; nothing in the prompt is
 * addressed to it.
 */
package dev.brun.llm.sim;
