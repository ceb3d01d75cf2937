-- views.sql - the views that answer the usual questions directly
-- (documented with examples in db/SCHEMA.md).  Executed after the schema
-- is created and after every migration: each view is dropped and created
-- again, so a change here needs a new schema version (db/migrate.c) to
-- reach existing databases.
--
-- Counter names the views rely on (table counters, column event): the VMM
-- and the importers store VM exits as event 'vm_exit' (reason = exit reason
-- name) and faults injected into a guest as event 'inject' (reason = fault
-- kind), the lower-case names of tracepoints VM_EXIT and INJECT.

DROP VIEW IF EXISTS run_summary;
DROP VIEW IF EXISTS run_counters;
DROP VIEW IF EXISTS exit_counts;
DROP VIEW IF EXISTS injected_faults;
DROP VIEW IF EXISTS injected_fault_rates;
DROP VIEW IF EXISTS injected_faults_by_config;
DROP VIEW IF EXISTS config_metrics;
DROP VIEW IF EXISTS metric_normalized;
DROP VIEW IF EXISTS vcpu_scaling;
DROP VIEW IF EXISTS event_counts;
DROP VIEW IF EXISTS events_named;
DROP VIEW IF EXISTS unfinished_runs;

-- One row per run.
CREATE VIEW run_summary AS
SELECT r.id, r.config, r.workload, r.vcpus, r.repetition, r.status,
	r.instructions, r.cycles, r.metric_value AS metric,
	r.metric_name, r.campaign_id, c.name AS campaign, r.wall_ns,
	CASE WHEN r.cycles > 0 THEN 1.0 * r.instructions / r.cycles END AS ipc,
	(SELECT COALESCE(sum(l.lost), 0) FROM losses l WHERE l.run_id = r.id) AS lost_events,
	r.started_at, r.finished_at, r.exit_code, r.exit_reason
FROM runs r LEFT JOIN campaigns c ON c.id = r.campaign_id;

-- Exact counters summed over vCPUs.
CREATE VIEW run_counters AS
SELECT run_id, event, reason, sum(n) AS n, sum(cycles) AS cycles
FROM counters GROUP BY run_id, event, reason;

CREATE VIEW exit_counts AS
SELECT run_id, reason, sum(n) AS n, sum(cycles) AS cycles
FROM counters WHERE event = 'vm_exit' GROUP BY run_id, reason;

CREATE VIEW injected_faults AS
SELECT run_id, reason AS kind, sum(n) AS n
FROM counters WHERE event = 'inject' GROUP BY run_id, reason;

-- Per run and fault kind: the count, the count in units of 10^4 (as the
-- paper's Table 1 prints it), and the rates per 10^4 and per 10^6
-- instructions.
CREATE VIEW injected_fault_rates AS
SELECT f.run_id, r.campaign_id, r.config, r.workload, r.vcpus, r.repetition,
	f.kind, f.n, f.n / 1e4 AS n_x10k, r.instructions,
	CASE WHEN r.instructions > 0 THEN f.n * 1e4 / r.instructions END AS per_10k_instr,
	CASE WHEN r.instructions > 0 THEN f.n * 1e6 / r.instructions END AS per_million_instr
FROM injected_faults f JOIN runs r ON r.id = f.run_id;

-- Table 1 shape: one row per (campaign, workload, vCPUs, config, fault
-- kind), means over the complete repetitions of the cell.  A run with no
-- counter row for a kind injected none of it (an import stores only the
-- kinds that happened), so each mean divides by every complete run of the
-- cell, not by the runs that have the row; a rate's divisor leaves out the
-- runs without an instruction count, whose rate is unknown.
CREATE VIEW injected_faults_by_config AS
WITH cells AS (
	SELECT campaign_id, workload, vcpus, config, count(*) AS runs,
		sum(instructions > 0) AS runs_with_instr
	FROM runs WHERE status = 'complete'
	GROUP BY campaign_id, workload, vcpus, config)
SELECT c.campaign_id, c.workload, c.vcpus, c.config, f.kind, c.runs,
	1.0 * sum(f.n) / c.runs AS n, sum(f.n_x10k) / c.runs AS n_x10k,
	sum(f.per_10k_instr) / nullif(c.runs_with_instr, 0) AS per_10k_instr,
	sum(f.per_million_instr) / nullif(c.runs_with_instr, 0) AS per_million_instr
FROM cells c
JOIN injected_fault_rates f ON f.campaign_id IS c.campaign_id AND f.workload = c.workload
	AND f.vcpus = c.vcpus AND f.config = c.config
WHERE f.run_id IN (SELECT id FROM runs WHERE status = 'complete')
GROUP BY c.campaign_id, c.workload, c.vcpus, c.config, f.kind;

-- Means over the complete repetitions of each cell.
CREATE VIEW config_metrics AS
SELECT campaign_id, workload, vcpus, config, count(*) AS runs,
	max(metric_name) AS metric_name, avg(metric_value) AS metric,
	avg(cycles) AS cycles, avg(instructions) AS instructions, avg(wall_ns) AS wall_ns
FROM runs WHERE status = 'complete'
GROUP BY campaign_id, workload, vcpus, config;

-- Each configuration's mean metric and modeled cycles divided by those of
-- config 'native' in the same campaign, workload and vCPU count (NULL when
-- that campaign has no native run of the cell).
CREATE VIEW metric_normalized AS
SELECT m.campaign_id, m.workload, m.vcpus, m.config, m.runs, m.metric_name, m.metric,
	n.metric AS native_metric,
	CASE WHEN n.metric <> 0 THEN m.metric / n.metric END AS metric_vs_native,
	m.cycles, n.cycles AS native_cycles,
	CASE WHEN n.cycles <> 0 THEN m.cycles / n.cycles END AS cycles_vs_native
FROM config_metrics m
LEFT JOIN config_metrics n ON n.config = 'native' AND n.campaign_id IS m.campaign_id
	AND n.workload = m.workload AND n.vcpus = m.vcpus;

-- Each cell against the same configuration and workload at its smallest
-- vCPU count (normally 1): metric ratio and speedup in modeled cycles.
CREATE VIEW vcpu_scaling AS
SELECT m.campaign_id, m.config, m.workload, m.vcpus, m.runs, m.metric_name, m.metric,
	b.vcpus AS base_vcpus, b.metric AS base_metric,
	CASE WHEN b.metric <> 0 THEN m.metric / b.metric END AS metric_vs_base,
	m.cycles, b.cycles AS base_cycles,
	CASE WHEN m.cycles <> 0 THEN b.cycles / m.cycles END AS cycles_speedup
FROM config_metrics m
JOIN config_metrics b ON b.campaign_id IS m.campaign_id AND b.config = m.config
	AND b.workload = m.workload
	AND b.vcpus = (SELECT min(x.vcpus) FROM config_metrics x
		WHERE x.campaign_id IS m.campaign_id AND x.config = m.config
		AND x.workload = m.workload);

-- Traced events per run and type, from event_tallies (no scan of events).
CREATE VIEW event_counts AS
SELECT t.run_id, t.type, e.name, e.category, t.n
FROM event_tallies t LEFT JOIN event_types e ON e.id = t.type;

-- Events with their type and reason names and hexadecimal addresses.
CREATE VIEW events_named AS
SELECT ev.rowid AS id, ev.run_id, ev.seq, ev.vcpu, ev.level, ev.type, t.name AS type_name,
	ev.reason, rn.name AS reason_name, ev.cycles,
	printf('0x%x', ev.addr0) AS addr0, printf('0x%x', ev.addr1) AS addr1, ev.aux
FROM events ev
LEFT JOIN event_types t ON t.id = ev.type
LEFT JOIN reason_names rn ON rn.event = t.name AND rn.code = ev.reason;

-- Runs that did not finish normally (or are being written now).
CREATE VIEW unfinished_runs AS
SELECT id, campaign_id, config, workload, vcpus, repetition, status, started_at,
	writer_pid, writer_host, exit_reason
FROM runs WHERE status IN ('running', 'incomplete');
