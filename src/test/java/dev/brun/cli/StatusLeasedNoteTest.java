package dev.brun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brun.run.LeaseOwner;
import dev.brun.store.UnitRecord;
import dev.brun.store.UnitState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** brun status says who holds leased units, so that units left by a stopped run do not look stuck. */
class StatusLeasedNoteTest {

    @Test
    void nothingIsSaidWhenNoUnitIsLeased() {
        assertThat(StatusCommand.leasedNote(List.of())).isNull();
    }

    @Test
    void leasesOfALiveRunOfAStoppedRunAndOfBatchesAreToldApart() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        LeaseOwner here = LeaseOwner.current();
        String gone = new LeaseOwner(here.host(), finished.pid(), "dead0001").id();
        Instant until = Instant.parse("2026-11-27T10:15:30.250Z");
        List<UnitRecord> leased = List.of(
                unit("a", here.id(), until, null),
                unit("b", gone, until, null),
                unit("c", gone, until, null),
                unit("d", "batch:owner", until, "msgbatch_1"));

        String note = StatusCommand.leasedNote(leased);

        assertThat(note).isEqualTo("Leased units: 1 by a generate that is running (here or on another machine; free again when its"
                + " lease ends, at the latest 2026-11-27T10:15:30Z); 2 left by a generate that is no longer running (the next"
                + " 'brun generate' takes them back); 1 in Message Batches (see 'brun batches').");
    }

    private static UnitRecord unit(String key, String owner, Instant until, String batch) {
        return new UnitRecord(key, "hash", "seed", "p", "a", "t", 0, UnitState.LEASED, 1, null, null, owner, until, batch,
                Instant.EPOCH, Instant.EPOCH);
    }
}
