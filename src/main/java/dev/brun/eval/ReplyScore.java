package dev.brun.eval;

import java.util.List;

/** The checks' verdict on one model reply, with the teacher's recorded reply beside it for the report. */
public record ReplyScore(String conversationId, int turnIndex, String persona, String arc, String topic, String stage,
                         String reply, String teacherReply, double score, List<String> flagCodes) {
    public ReplyScore { flagCodes = List.copyOf(flagCodes); }
}
