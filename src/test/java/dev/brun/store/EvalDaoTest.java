package dev.brun.store;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The eval tables (migration V11) on SQLite and PostgreSQL: one row per key, a second store of a key changes nothing. */
class EvalDaoTest {
    @TempDir Path dir;

    @Test
    void sqlite() {
        try (Database db = Database.openSqlite(dir.resolve("brun.db"))) {
            contract(db);
        }
    }

    @Test
    @Tag("postgres")
    void postgres() {
        try (Database db = Database.open(EmbeddedPostgresServer.freshDatabaseUrl(), "postgres", null)) {
            contract(db);
        }
    }

    private static void contract(Database db) {
        EvalDao dao = new EvalDao(db);
        EvalDao.Run run = dao.createIfAbsent("eval-1", "h1", "{\"model\":\"a\"}");
        assertThat(dao.createIfAbsent("eval-1", "h2", "{\"model\":\"b\"}").manifest()).as("the first manifest stays").isEqualTo(run.manifest());
        assertThat(run.finishedAt()).isNull();
        dao.putReply("eval-1", new EvalDao.Reply("c1", 1, "adapter", "first", "end_turn"));
        dao.putReply("eval-1", new EvalDao.Reply("c1", 1, "adapter", "second", "end_turn"));
        dao.putReply("eval-1", new EvalDao.Reply("c1", 1, "baseline", "base", "max_tokens"));
        assertThat(dao.replies("eval-1")).extracting(EvalDao.Reply::reply).containsExactly("first", "base");
        dao.putJudgement("eval-1", new EvalDao.Judgement("c1", 1, "adapter", "pair", "{\"better\":\"A\"}"));
        dao.putJudgement("eval-1", new EvalDao.Judgement("c1", 1, "adapter", "pair", "{\"better\":\"B\"}"));
        dao.putJudgement("eval-1", new EvalDao.Judgement("c1", 1, "adapter", "pair_swapped", "{\"better\":\"TIE\"}"));
        assertThat(dao.judgements("eval-1")).extracting(EvalDao.Judgement::verdict).containsExactly("{\"better\":\"A\"}", "{\"better\":\"TIE\"}");
        assertThat(dao.replyCount("eval-1")).isEqualTo(2);
        assertThat(dao.judgementCount("eval-1")).isEqualTo(2);
        dao.markFinished("eval-1");
        assertThat(dao.run("eval-1").orElseThrow().finishedAt()).isNotNull();
        dao.createIfAbsent("eval-2", "h3", "{}");
        assertThat(dao.runs()).extracting(EvalDao.Run::id).contains("eval-1", "eval-2");
        assertThat(dao.replies("eval-2")).isEmpty();
    }
}
