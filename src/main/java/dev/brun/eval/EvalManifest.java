package dev.brun.eval;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What makes two eval runs comparable: the models and their endpoints (without keys or credentials), the
 * held-out data (its hash and split), the judge, and the prompts (by hash). A rerun with the same manifest is
 * the same run and resumes it.
 *
 * @param baselineEndpoint null when no baseline is compared
 * @param judgeModel       null when no LLM judge is used
 * @param limit            at most this many conversations (0: all)
 */
public record EvalManifest(String endpoint, String model, String baselineEndpoint, String baselineModel,
                           String exportDir, String split, String datasetHash, String judgeModel, int limit,
                           double temperature, int maxTokens, String systemPromptHash, String judgePromptHash) {
    public static final double TEMPERATURE = 0.0;
    public static final int MAX_TOKENS = 1_024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public EvalManifest {
        endpoint = withoutCredentials(endpoint);
        baselineEndpoint = baselineEndpoint == null ? null : withoutCredentials(baselineEndpoint);
    }

    public boolean hasBaseline() { return baselineModel != null; }
    public boolean judged() { return judgeModel != null; }

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("endpoint", endpoint);
        m.put("model", model);
        m.put("baseline_endpoint", baselineEndpoint);
        m.put("baseline_model", baselineModel);
        m.put("export_dir", exportDir);
        m.put("split", split);
        m.put("dataset_hash", datasetHash);
        m.put("judge_model", judgeModel);
        m.put("limit", limit);
        m.put("temperature", temperature);
        m.put("max_tokens", maxTokens);
        m.put("system_prompt_sha256", systemPromptHash);
        m.put("judge_prompt_sha256", judgePromptHash);
        return JSON.writeValueAsString(m);
    }

    public static EvalManifest fromJson(String json) {
        JsonNode n = JSON.readTree(json);
        return new EvalManifest(n.path("endpoint").asString(), n.path("model").asString(), text(n, "baseline_endpoint"),
                text(n, "baseline_model"), n.path("export_dir").asString(), n.path("split").asString(), n.path("dataset_hash").asString(),
                text(n, "judge_model"), n.path("limit").asInt(), n.path("temperature").asDouble(), n.path("max_tokens").asInt(),
                n.path("system_prompt_sha256").asString(), n.path("judge_prompt_sha256").asString());
    }

    /** The id of the run this manifest describes: the same manifest, the same run. */
    public String runId() { return "eval-" + hash().substring(0, 12); }

    public String hash() { return sha256(toJson()); }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }

    /** The URL without user info, query or fragment: a key passed in the URL must not reach the database. */
    static String withoutCredentials(String url) {
        if (url == null) return null;
        try {
            URI u = URI.create(url.strip());
            return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), null, null).toString();
        } catch (IllegalArgumentException | java.net.URISyntaxException e) {
            throw new dev.brun.BadInputException("endpoint '" + url.replaceAll("//[^@/]*@", "//") + "' is not a URL (e.g. http://localhost:8000/v1)");
        }
    }
}
