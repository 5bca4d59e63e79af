package dev.brun.store;

/**
 * Where a sampled conversation stands: decided by a person (approved or rejected) or not, whether that makes it a
 * defect (rejected, or edited before approval), and who decided last.
 */
public record SampleDecision(String conversationId, int position, boolean decided, boolean defect, String reviewer) {}
