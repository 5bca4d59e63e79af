package dev.brun.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest extends StoreContract {
    @TempDir
    Path dir;

    @Override
    protected Database openDatabase() {
        return Database.openSqlite(dir.resolve("nested/brun.db"));
    }

    /**
     * A claim must walk an index in claim order and stop at its limit: a sort of every claimable unit per
     * claim made generation slow down as the plan grew (100,000 units: from 100 to about 15 calls a second).
     */
    @Test
    void claimsReadUnitsInIndexOrderWithoutSorting() {
        db.units().insertIfAbsent(units(50, "seed"));
        for (boolean byPhase : new boolean[] {false, true}) {
            for (boolean expired : new boolean[] {false, true}) {
                String plan = plan(db.dialect().claimUnits(UnitDao.COLUMNS, byPhase, expired));
                assertThat(plan).as("byPhase=%s expired=%s", byPhase, expired)
                        .containsPattern("USING (COVERING )?INDEX units_claim_").doesNotContain("TEMP B-TREE").doesNotContain("SCAN units");
            }
        }
    }

    private String plan(String sql) {
        return db.jdbi().withHandle(h -> {
            try (var statement = h.getConnection().prepareStatement("EXPLAIN QUERY PLAN " + sql);
                 ResultSet rs = statement.executeQuery()) {
                StringBuilder plan = new StringBuilder();
                while (rs.next()) plan.append(rs.getString("detail")).append('\n');
                return plan.toString();
            } catch (SQLException e) {
                throw new AssertionError("cannot explain " + sql, e);
            }
        });
    }
}
