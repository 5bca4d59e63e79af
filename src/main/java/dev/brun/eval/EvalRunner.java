package dev.brun.eval;

import dev.brun.BrunException;
import dev.brun.conversation.Conversation;
import dev.brun.conversation.Turn;
import dev.brun.llm.ChatCall;
import dev.brun.llm.LlmException;
import dev.brun.pack.Pack;
import dev.brun.quality.JudgePrompt;
import dev.brun.store.EvalDao;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Replays held-out conversations against the models under evaluation (scripted: every user turn is the recorded
 * one, so runs are comparable), stores each reply under (run, conversation, turn, model role) as it arrives, and
 * has the judge score each reply (rubric) and compare it with the teacher's recorded reply twice, positions
 * swapped. Whatever is already stored is not asked for again, so a killed run resumes where it stopped.
 */
public final class EvalRunner {
    public static final String ADAPTER = "adapter";
    public static final String BASELINE = "baseline";
    public static final String RUBRIC = "rubric";
    public static final String PAIR = "pair";
    public static final String PAIR_SWAPPED = "pair_swapped";
    /** Conversations replayed at once; the turns of one conversation are replayed in order. */
    public static final int DEFAULT_CONCURRENCY = 4;

    /** What a run did: calls it made now, what is stored in all, and why it stopped early (null: it did not). */
    public record Outcome(int replyCalls, int judgeCalls, int failedReplies, int replies, int judgements, String stopReason) {}

    /** How many calls a run still has to make (what is stored already is not counted) and what the judge part may cost. */
    public record Estimate(int replyCalls, int judgeCalls, double judgeWorstUsd, double judgeExpectedUsd) {}

    private final EvalDao dao;
    private final Pack pack;
    private final Map<String, ReplyModel> models;
    private final EvalJudge judge;
    private final int concurrency;
    private final AtomicReference<String> stopReason = new AtomicReference<>();

    /** @param models by role ({@link #ADAPTER}, {@link #BASELINE}), in report order; judge null for no judge */
    public EvalRunner(EvalDao dao, Pack pack, Map<String, ReplyModel> models, EvalJudge judge, int concurrency) {
        this.dao = dao;
        this.pack = pack;
        this.models = new LinkedHashMap<>(models);
        this.judge = judge;
        this.concurrency = Math.max(1, concurrency);
    }

    public boolean stopping() { return stopReason.get() != null; }

    public void requestStop(String why) { stopReason.compareAndSet(null, why); }

    /** The calls still to make; judge prompts are sized with the teacher's reply in place of the model's, which is not known yet. */
    public Estimate estimate(String runId, String system, List<Conversation> conversations) {
        Set<String> replies = replyKeys(runId);
        Set<String> verdicts = verdictKeys(runId);
        int replyCalls = 0, judgeCalls = 0;
        double worst = 0, expected = 0;
        String judgeSystem = judge == null ? "" : JudgePrompt.system(pack);
        String pairSystem = judge == null ? "" : PairwisePrompt.system(pack);
        for (Conversation c : conversations)
            for (Turn t : c.assistantTurns())
                for (String role : models.keySet()) {
                    if (!replies.contains(key(c.id(), t.index(), role))) replyCalls++;
                    if (judge == null) continue;
                    String teacher = t.content() == null ? "" : t.content();
                    for (String kind : List.of(RUBRIC, PAIR, PAIR_SWAPPED)) {
                        if (verdicts.contains(key(c.id(), t.index(), role) + "|" + kind)) continue;
                        judgeCalls++;
                        String user = kind.equals(RUBRIC) ? rubricUser(c, t.index(), teacher) : PairwisePrompt.user(c, t.index(), teacher, teacher, pack);
                        String sys = kind.equals(RUBRIC) ? judgeSystem : pairSystem;
                        worst += judge.worstCase(sys, user);
                        expected += judge.expected(sys, user);
                    }
                }
        return new Estimate(replyCalls, judgeCalls, worst, expected);
    }

    /** Replays and judges everything not stored yet. {@code progress} hears each stored reply or verdict. */
    public Outcome run(String runId, String system, List<Conversation> conversations, Consumer<String> progress) {
        Map<String, String> storedReplies = new ConcurrentHashMap<>();
        for (EvalDao.Reply r : dao.replies(runId)) storedReplies.put(key(r.conversationId(), r.turnIndex(), r.role()), r.reply());
        Set<String> verdicts = ConcurrentHashMap.newKeySet();
        verdicts.addAll(verdictKeys(runId));
        AtomicInteger replyCalls = new AtomicInteger(), judgeCalls = new AtomicInteger(), failed = new AtomicInteger();
        Semaphore slots = new Semaphore(concurrency);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (Conversation c : conversations) {
                futures.add(pool.submit(() -> {
                    if (stopping()) return;
                    slots.acquireUninterruptibly();
                    try {
                        replay(runId, system, c, storedReplies, verdicts, replyCalls, judgeCalls, failed, progress);
                    } finally {
                        slots.release();
                    }
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    requestStop("interrupted");
                } catch (java.util.concurrent.ExecutionException e) {
                    requestStop("internal error: " + e.getCause());
                }
            }
        }
        int storedReplyCount = dao.replyCount(runId);
        int storedVerdicts = dao.judgementCount(runId);
        if (!stopping() && failed.get() == 0) dao.markFinished(runId);
        return new Outcome(replyCalls.get(), judgeCalls.get(), failed.get(), storedReplyCount, storedVerdicts, stopReason.get());
    }

    private void replay(String runId, String system, Conversation c, Map<String, String> storedReplies, Set<String> verdicts,
                        AtomicInteger replyCalls, AtomicInteger judgeCalls, AtomicInteger failed, Consumer<String> progress) {
        for (Turn t : c.assistantTurns()) {
            for (Map.Entry<String, ReplyModel> m : models.entrySet()) {
                if (stopping()) return;
                String role = m.getKey();
                String k = key(c.id(), t.index(), role);
                String reply = storedReplies.get(k);
                if (reply == null) {
                    try {
                        ReplyModel.Reply r = m.getValue().reply(system, history(c, t.index()), c.id() + "#" + t.index() + ":" + role);
                        replyCalls.incrementAndGet();
                        dao.putReply(runId, new EvalDao.Reply(c.id(), t.index(), role, r.text(), r.stopReason()));
                        reply = r.text();
                        storedReplies.put(k, reply);
                        progress.accept("reply " + k);
                    } catch (LlmException e) {
                        if (e.kind() == LlmException.Kind.STOPPED) return;
                        if (e.stopsRun()) { requestStop(role + " endpoint refused the credentials: " + e.getMessage()); return; }
                        failed.incrementAndGet();
                        progress.accept("failed " + k + ": " + e.getMessage());
                        continue;
                    }
                }
                if (judge != null) judge(runId, c, t, role, reply, verdicts, judgeCalls, progress);
            }
        }
    }

    private void judge(String runId, Conversation c, Turn t, String role, String reply, Set<String> verdicts,
                       AtomicInteger judgeCalls, Consumer<String> progress) {
        String teacher = t.content() == null ? "" : t.content();
        for (String kind : List.of(RUBRIC, PAIR, PAIR_SWAPPED)) {
            if (stopping()) return;
            String vk = key(c.id(), t.index(), role) + "|" + kind;
            if (verdicts.contains(vk)) continue;
            String ledgerKey = "eval:" + runId + ":" + vk;
            String verdict;
            try {
                if (kind.equals(RUBRIC)) {
                    String answer = judge.complete(ledgerKey, "submit_scores", JudgePrompt.system(pack), rubricUser(c, t.index(), reply), JudgePrompt.replySchema());
                    JudgePrompt.parse(answer, judge.model()); // an answer that does not parse is not stored
                    verdict = answer;
                } else {
                    boolean modelFirst = kind.equals(PAIR);
                    String user = modelFirst ? PairwisePrompt.user(c, t.index(), reply, teacher, pack) : PairwisePrompt.user(c, t.index(), teacher, reply, pack);
                    String answer = judge.complete(ledgerKey, PairwisePrompt.TOOL, PairwisePrompt.system(pack), user, PairwisePrompt.replySchema());
                    verdict = "{\"better\":\"" + PairwisePrompt.parse(answer, judge.model()).name() + "\"}";
                }
            } catch (LlmException e) {
                if (e.kind() != LlmException.Kind.STOPPED) requestStop("judge call failed: " + e.getMessage());
                return;
            } catch (BrunException e) {
                requestStop(e.getMessage());
                return;
            }
            judgeCalls.incrementAndGet();
            dao.putJudgement(runId, new EvalDao.Judgement(c.id(), t.index(), role, kind, verdict));
            verdicts.add(vk);
            progress.accept("judged " + vk);
        }
    }

    /** The recorded conversation before the turn, as chat messages (the user turns are the recorded ones). */
    static List<ChatCall.Message> history(Conversation c, int turnIndex) {
        List<ChatCall.Message> out = new ArrayList<>();
        for (Turn t : c.turns()) {
            if (t.index() >= turnIndex) break;
            out.add(new ChatCall.Message(t.isUser() ? "user" : "assistant", t.content()));
        }
        return out;
    }

    /** The rubric prompt for one reply: the recorded history, the model's reply in its place, nothing after it. */
    String rubricUser(Conversation c, int turnIndex, String reply) {
        List<Turn> turns = new ArrayList<>();
        for (Turn t : c.turns()) {
            if (t.index() < turnIndex) turns.add(t);
            else if (t.index() == turnIndex) turns.add(t.withContent(reply));
        }
        return JudgePrompt.user(c.withTurns(turns), pack)
                + "Score only the last CONSULTANT reply; the turns before it are recorded context, and the conversation is meant to go on.\n";
    }

    /** Calls a killed eval (or generation) left in flight may have been billed: from now on they count at expected cost. */
    public static int countCallsOfDeadProcesses(dev.brun.store.LedgerDao ledger) {
        int n = 0;
        for (String o : ledger.inFlightOwners())
            if (dev.brun.run.LeaseOwner.parse(o).map(dev.brun.run.LeaseOwner::deadOnThisHost).orElse(false)) n += ledger.markUnconfirmed(o);
        return n;
    }

    static String key(String conversationId, int turn, String role) { return conversationId + "|" + turn + "|" + role; }

    private Set<String> replyKeys(String runId) {
        Set<String> keys = new HashSet<>();
        for (EvalDao.Reply r : dao.replies(runId)) keys.add(key(r.conversationId(), r.turnIndex(), r.role()));
        return keys;
    }

    private Set<String> verdictKeys(String runId) {
        Set<String> keys = new HashSet<>();
        for (EvalDao.Judgement j : dao.judgements(runId)) keys.add(key(j.conversationId(), j.turnIndex(), j.role()) + "|" + j.kind());
        return keys;
    }
}
