package dev.brun.web;

import dev.brun.pack.Phase;
import dev.brun.plan.CoverageMatrix;
import dev.brun.plan.PlanFilter;
import dev.brun.project.Project;
import dev.brun.run.ConversationHook;
import dev.brun.store.ConversationFilter;
import dev.brun.store.JobRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A generation started from the Generate page with Message Batches ticked runs like generate --batch (simulated provider). */
class BatchGenerationJobTest {
    @TempDir Path dir;

    @Test
    void aBatchOrderSubmitsPollsAndStoresEveryUnit() throws Exception {
        try (Project project = WebFixture.create(dir, 0)) {
            var matrix = new CoverageMatrix(project.pack());
            var units = matrix.units(Phase.SEED, matrix.combinations(PlanFilter.ALL).subList(0, 3), 0, 1);
            long before = project.db().conversations().count(ConversationFilter.all());
            double spentBefore = project.db().ledger().totalSpend();
            var order = new GenerationOrder(Phase.SEED, project.model(Phase.SEED), 0.7, units, "3 units", true);
            try (var jobs = new BackgroundGenerationJobs(project.db().jobs(), project.db().units(),
                    EngineGenerationRuns.forProject(project, ConversationHook.NONE))) {
                String id = jobs.start(order);
                JobRecord job = await(project, id);
                assertThat(job.state()).as(job.message()).isEqualTo("done");
                assertThat(job.message()).contains("Message Batches: 3 submitted, 3 stored, 0 failed");
            }
            assertThat(project.db().conversations().count(ConversationFilter.all())).isEqualTo(before + 3);
            assertThat(project.db().batches().unfinished()).isEmpty();
            assertThat(project.db().ledger().totalSpend()).isGreaterThan(spentBefore);
        }
    }

    private static JobRecord await(Project project, String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JobRecord j = project.db().jobs().find(id).orElseThrow();
            if (!j.state().equals("running")) return j;
            Thread.sleep(50);
        }
        throw new AssertionError("batch job never ended: " + project.db().jobs().find(id));
    }
}
