package dev.brun.eval;

import dev.brun.BadInputException;
import dev.brun.conversation.Conversation;
import dev.brun.llm.AdaptiveConcurrency;
import dev.brun.llm.Resilience;
import dev.brun.llm.RetryPolicy;
import dev.brun.llm.Sleeper;
import dev.brun.llm.openai.OpenAiClient;
import dev.brun.pack.Pack;
import dev.brun.prompt.PromptBuilder;
import dev.brun.quality.JudgePrompt;
import dev.brun.run.ProviderConnection;
import dev.brun.store.Database;
import dev.brun.store.EvalDao;
import dev.brun.store.StoredConversation;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What an eval run needs before it starts: its manifest, the held-out conversations, the model clients. */
public final class EvalSetup {
    /** Environment variables holding the endpoints' keys, when they need any (local servers do not); never stored. */
    public static final String ADAPTER_KEY_ENV = "BRUN_EVAL_API_KEY";
    public static final String BASELINE_KEY_ENV = "BRUN_EVAL_BASELINE_API_KEY";

    private EvalSetup() {}

    public static EvalManifest manifest(String endpoint, String model, String baselineEndpoint, String baselineModel,
                                        HeldOutSet set, String judgeModel, int limit, Pack pack) {
        if ((baselineEndpoint == null) != (baselineModel == null))
            throw new BadInputException("--baseline-endpoint and --baseline-model go together: give both or neither");
        String judgePrompts = judgeModel == null ? "" : JudgePrompt.system(pack) + JudgePrompt.replySchema() + PairwisePrompt.system(pack) + PairwisePrompt.replySchema();
        return new EvalManifest(endpoint, model, baselineEndpoint, baselineModel, set.exportDir().toString(), set.split(), set.datasetHash(),
                judgeModel, limit, EvalManifest.TEMPERATURE, EvalManifest.MAX_TOKENS, EvalManifest.sha256(systemPrompt(set, pack)),
                EvalManifest.sha256(judgePrompts));
    }

    /** The system prompt the adapter was trained with: the export's, else the pack's training prompt. */
    public static String systemPrompt(HeldOutSet set, Pack pack) {
        return set.systemPrompt() != null && !set.systemPrompt().isBlank() ? set.systemPrompt() : new PromptBuilder(pack).trainingSystemPrompt();
    }

    /** The held-out conversations from the database, in the export's order, at most limit of them (0: all). */
    public static List<Conversation> conversations(Database db, HeldOutSet set, int limit) {
        List<String> ids = limit > 0 && limit < set.conversationIds().size() ? set.conversationIds().subList(0, limit) : set.conversationIds();
        Map<String, Conversation> found = new HashMap<>();
        for (StoredConversation s : db.conversations().findAll(ids)) found.put(s.conversation().id(), s.conversation());
        List<String> missing = ids.stream().filter(id -> !found.containsKey(id)).toList();
        if (!missing.isEmpty())
            throw new BadInputException(missing.size() + " of the " + ids.size() + " held-out conversations of " + set.exportDir()
                    + " are not in this project's database (first: " + missing.getFirst() + "); evaluate from the project that made the export");
        List<Conversation> out = new ArrayList<>();
        for (String id : ids) out.add(found.get(id));
        return out;
    }

    /** The run a manifest names, created when new; an existing one with the same manifest is resumed. */
    public static EvalDao.Run run(EvalDao dao, EvalManifest manifest) {
        return dao.createIfAbsent(manifest.runId(), manifest.hash(), manifest.toJson());
    }

    /** A client for a model's OpenAI-compatible endpoint with the retries, timeout and pacing generation uses. */
    public static OpenAiClient client(String endpoint, String apiKey, int maxAttempts) {
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("endpoint '" + endpoint + "' is not a URL (e.g. http://localhost:8000/v1)");
        }
        if (uri.getScheme() == null || uri.getHost() == null)
            throw new BadInputException("endpoint '" + EvalManifest.withoutCredentials(endpoint) + "' is not an http(s) URL (e.g. http://localhost:8000/v1)");
        Resilience resilience = Resilience.of(RetryPolicy.DEFAULT.withMaxAttempts(maxAttempts), AdaptiveConcurrency.auto(), Clock.systemUTC(), Sleeper.SYSTEM);
        return new OpenAiClient(uri, apiKey, ProviderConnection.REQUEST_TIMEOUT, resilience);
    }

    /** The report of a stored run, read from its replies and verdicts (no call is made). */
    public static EvalReport report(Database db, Pack pack, EvalDao dao, String runId) {
        EvalDao.Run stored = dao.run(runId).orElseThrow(() -> new BadInputException("no eval run " + runId + " in this project (see brun eval --list)"));
        EvalManifest m = EvalManifest.fromJson(stored.manifest());
        HeldOutSet set = HeldOutSet.read(Path.of(m.exportDir()), m.split());
        return EvalReport.build(runId, m, pack, conversations(db, set, m.limit()), dao.replies(runId), dao.judgements(runId));
    }

    /** Resolves a folder given on the command line. */
    public static Path exportDir(Path given, Path exportsOfProject) {
        return given != null ? given.toAbsolutePath().normalize() : HeldOutSet.latestExport(exportsOfProject);
    }
}
