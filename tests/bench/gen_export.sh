#!/bin/sh
# gen_export.sh - write an export document (docs/export.md) of N synthetic
# projects to standard output, for the import benchmark and the end-to-end
# test of a large import.
#
#   tests/bench/gen_export.sh N >portfolio.yaml
#
# Every project is one that the commands could have made under the default
# lifecycle (schemas/lifecycle.yaml), so `aiproj import` takes the file
# whole, and it is written in the canonical form of format 1 (no hashes, no
# end record): an export of the store the file was imported into gives the
# same bytes but for format 2's hash lines, version and end record.
# About 6.5 KB a project (a 16 MiB file is some 2,600 projects):
#
#   stage       spread over the five stages (project i: stage i % 5)
#   status      active; on hold every tenth, closed (with a reason, or by a
#               buy decision at feasibility) every twentieth
#   history     a walk from feasibility to the stage; every third project
#               that got past feasibility went back once (with a reason),
#               every seventh advance is forced
#   approvals   one by the accountable person before each advance
#   decisions   a make decision at feasibility (a buy one closes some)
#   kpis        auc and latency-ms, three readings each
#   assignments every role, one person each
#   components  the lifecycle's three
#   criteria    the lifecycle's 18: done for the stages passed, about half
#               of the current one
#
# Deterministic: the same N gives the same bytes.
set -eu

N=${1:?usage: gen_export.sh N}
case $N in
'' | *[!0-9]*) echo "gen_export.sh: N must be a number" >&2; exit 2 ;;
esac

awk -v n="$N" '
function stamp(m, ms,   d, y, yd, mo, md) {
	d = int(m / 1440); m -= d * 1440
	y = 2020
	for (;;) {
		yd = (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 366 : 365
		if (d < yd) break
		d -= yd; y++
	}
	for (mo = 1; mo <= 12; mo++) {
		md = ML[mo] + (mo == 2 && yd == 366)
		if (d < md) break
		d -= md
	}
	return sprintf("\"%04d-%02d-%02dT%02d:%02d:00.%03dZ\"", y, mo, d + 1,
		int(m / 60), m % 60, ms)
}
BEGIN {
	split("31 28 31 30 31 30 31 31 30 31 30 31", ML, " ")
	ns = split("feasibility data-preparation prototyping-testing productization deployment", ST, " ")
	# the accountable role of each stage, and its criteria
	split("sponsor data-engineer data-scientist data-engineer devops", ACC, " ")
	split("4 3 4 4 3", NC, " ")
	nr = split("ai-engineer data-analyst data-engineer data-scientist devops sponsor", RO, " ")
	split("Ana Bo Chen Dana Eli Fatima Goran Hana Ivan Jia Kemal Lena", FN, " ")
	split("Lima Chen Okafor Novak Silva Tanaka Haddad Rossi Kim Patel Costa Berg Sato", LN, " ")
	CT[1] = "Goals set for re-training"; CT[2] = "Goals set for feedback"
	CT[3] = "Goals set for monitoring and alerting"; CT[4] = "What-if scenarios reviewed"
	CT[5] = "The data feed handles anomalies, imputation and reconstruction"
	CT[6] = "The data process is idempotent"; CT[7] = "The data process is predictable and scalable"
	CT[8] = "Components outlined and assembled (data in, model, data out)"
	CT[9] = "Load, scalability and data interfacing tested"
	CT[10] = "Model behaviour tracked over time (consistency, need to re-train)"
	CT[11] = "Undesirable input and output data is fixed or rejected"
	CT[12] = "Models handed over to data engineering and connected to the system"
	CT[13] = "Data dependencies, connectivity and parametrization handled"
	CT[14] = "Signaling, exception handling and interfacing in place"
	CT[15] = "Telemetry and logging in place"; CT[16] = "Security and environment ready"
	CT[17] = "Orchestration and scheduling in place"
	CT[18] = "Operation, monitoring and support set up"
	print "aiproj: 1"
	print "projects:"
	for (i = 1; i <= n; i++) project(i)
}
function person(i, r) {
	return FN[(i * 7 + r * 5) % 12 + 1] " " LN[(i * 3 + r) % 13 + 1]
}
function project(i,   s, t0, ms, kind, nm, h, j, st, cs, c, e, t, tmax,
		status, why, sat, bought, back, dec, kp, cr, ap, hi, as, k, r) {
	s = i % ns
	t0 = i * 41
	ms = i % 1000
	back = (s >= 1 && i % 3 == 0)
	bought = (s == 0 && i % 20 == 19)
	status = bought || (i % 20 == 9) ? "closed" : i % 10 == 7 ? "on-hold" : "active"
	for (r = 1; r <= nr; r++) WHO[RO[r]] = person(i, r)
	# assignments, by role (one person each)
	as = ""
	for (r = 1; r <= nr; r++)
		as = as "  - role: " RO[r] "\n    person: " WHO[RO[r]] "\n    assigned_at: " stamp(t0 + r, ms) "\n"
	tmax = t0 + nr
	# the moves: [f -> dp, dp -> f (back)] then forward to stage s
	nm = 0
	if (back) { MF[++nm] = 1; MT[nm] = 2; MK[nm] = "advance"; MF[++nm] = 2; MT[nm] = 1; MK[nm] = "back" }
	for (j = 1; j < s + 1; j++) { MF[++nm] = j; MT[nm] = j + 1; MK[nm] = (i + j) % 7 == 0 ? "forced" : "advance" }
	hi = ""; ap = ""
	for (h = 1; h <= nm; h++) {
		MA[h] = t0 + 1000 * h
		if (MK[h] == "advance") {
			st = MF[h]
			ap = ap "  - stage: " ST[st] "\n    epoch: " (h - 1) "\n    person: " WHO[ACC[st]] \
				"\n    role: " ACC[st] "\n    note: " ((i + h) % 4 == 0 ? "ok from me" : "null") \
				"\n    at: " stamp(MA[h] - 10, ms) "\n"
		}
		hi = hi "  - from: " ST[MF[h]] "\n    to: " ST[MT[h]] "\n    kind: " MK[h] "\n    actor: " \
			WHO[ACC[MF[h]]] "\n    reason: " (MK[h] == "back" ? "\047rework: the data was not ready\047" : \
			MK[h] == "forced" ? "\047deadline: approved by the board\047" : "null") "\n    at: " stamp(MA[h], ms) "\n"
	}
	if (nm && MA[nm] > tmax) tmax = MA[nm]
	# a make decision at feasibility (before the first move)
	dec = "  - kind: make\n    cost: " (10000 + (i % 500) * 1000) "\n    reason: no vendor fits\n    actor: " \
		WHO["sponsor"] "\n    at: " stamp(t0 + 20, ms) "\n"
	# KPIs: readings after their creation, oldest first
	kp = "  - name: auc\n    op: \047>=\047\n    target: 0.8\n    created_at: " stamp(t0 + 30, ms) "\n    readings:\n"
	for (j = 1; j <= 3; j++)
		kp = kp "    - value: " (70 + (i + j) % 25) / 100 "\n      actor: " WHO["data-scientist"] "\n      at: " stamp(t0 + 30 + 100 * j, ms) "\n"
	kp = kp "  - name: latency-ms\n    op: <=\n    target: 200\n    created_at: " stamp(t0 + 31, ms) "\n    readings:\n"
	for (j = 1; j <= 3; j++)
		kp = kp "    - value: " (150 + (i * j) % 100) "\n      actor: " WHO["devops"] "\n      at: " stamp(t0 + 31 + 100 * j, ms) "\n"
	if (t0 + 331 > tmax) tmax = t0 + 331
	# criteria: done for stages passed (in that stage, after any move back),
	# about half of the current one
	cr = ""; c = 0
	for (st = 1; st <= ns; st++)
		for (j = 1; j <= NC[st]; j++) {
			c++
			e = st < s + 1 || (st == s + 1 && (i + c) % 2 == 0)
			k = nm - s + st - 1 # the move that brought it to stage st
			t = (k > 0 ? MA[k] : t0) + 5 * c
			cr = cr "  - id: " c "\n    stage: " ST[st] "\n    text: " CT[c] "\n    done: " (e ? "true" : "false") \
				"\n    done_by: " (e ? WHO[ACC[st]] : "null") "\n    done_at: " (e ? stamp(t, ms) : "null") \
				"\n    note: " (e && c % 5 == 0 ? "see the runbook" : "null") "\n"
			if (e && t > tmax) tmax = t
		}
	why = "null"; sat = stamp(t0, ms)
	if (bought) {
		why = "a vendor product fits"; sat = stamp(tmax + 60, ms)
		dec = dec "  - kind: buy\n    cost: 5000\n    reason: a vendor product fits\n    actor: " \
			WHO["sponsor"] "\n    at: " sat "\n"
	} else if (status == "closed") {
		why = "\047stopped: no business case\047"; sat = stamp(tmax + 60, ms)
	} else if (status == "on-hold") {
		why = "waiting for data access"; sat = stamp(tmax + 60, ms)
	}
	printf "- name: p%06d-%s\n", i, (i % 2 ? "churn-model" : "fraud-alerts")
	printf "  description: %s\n", (i % 3 == 0 ? "\"\"" : "Synthetic project " i)
	printf "  status: %s\n  status_reason: %s\n  status_at: %s\n", status, why, sat
	printf "  outcome: %s\n  stage: %s\n", (bought ? "bought" : "null"), ST[s + 1]
	printf "  entered_at: %s\n  created_at: %s\n", (nm ? stamp(MA[nm], ms) : stamp(t0, ms)), stamp(t0, ms)
	printf "  decisions:\n%s  kpis:\n%s  assignments:\n%s", dec, kp, as
	printf "  components:\n  - name: data-in\n    owner: data-engineer\n    description: Data feeds into the product, fixed or rejected when undesirable\n"
	printf "  - name: data-out\n    owner: ai-engineer\n    description: Outputs, accepted only when acceptable under the circumstances\n"
	printf "  - name: model\n    owner: data-scientist\n    description: The ML/DL model and its re-training\n"
	printf "  criteria:\n%s  approvals:%s\n%s  history:%s\n%s", cr, (ap == "" ? " []" : ""), ap, (hi == "" ? " []" : ""), hi
}'
