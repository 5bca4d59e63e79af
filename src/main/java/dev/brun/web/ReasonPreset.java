package dev.brun.web;

/**
 * A rejection reason offered on the review page under a digit (r then 1-9): from the conversation's own
 * flags, the pack's review_reasons, or the reviewers' recent custom reasons (source says which).
 */
record ReasonPreset(int digit, String text, String source) {}
