-- Claims take units in (created_at, phase, persona, arc, key) order, LIMIT n. With only (state, phase)
-- indexed, every claim sorted all claimable units: at 100,000 planned units a claim cost more than the
-- call it fed. These two indexes hand out units in that order directly, with and without a phase filter;
-- the second also serves the counts by state and phase that units_state_phase served.
DROP INDEX units_state_phase;
CREATE INDEX units_claim_order ON units (state, created_at, phase, persona_key, arc_key, unit_key);
CREATE INDEX units_claim_phase ON units (state, phase, created_at, persona_key, arc_key, unit_key);
