#!/usr/bin/env python3
"""Fleet and big-catalog benchmarks behind bench/run.sh (run that, not this).

Given a running throwaway PostgreSQL (unix socket directory --host), this:

  fleet   1. applies the bundled SynapScale migrations (psql -f, in order) to
             a template database and creates --fleet databases from it
             (CREATE DATABASE ... TEMPLATE), then drifts 3 of them (an
             unexpected table, and an added column in two others);
          2. times, in one run each in rotating order (--fleet-runs):
             `schemagate diff --databases LIST --jobs 1`, the same with the
             default --jobs, a shell loop of `schemagate diff --database-url`
             over the list, and a shell loop of `pg_dump --schema-only`;
          3. checks that the fleet run found exactly the 3 drifted ones.
  big     1. builds catalogs of S schemas × 50 tables (bench/gen_schema.py's
             tables, one schema per transaction) for --big-sizes (default
             5,000 and 50,000 tables), one database each;
          2. times `schemagate snapshot -o` once, then `schemagate diff`
             against that snapshot and `pg_dump --schema-only`, alternating
             (--big-runs each); schemagate diff's peak RSS (/usr/bin/time -v)
             and, from `schemagate -v diff` (median of --big-runs), the wall
             and CPU time spent loading the expected file.

It appends its tables to --out (bench/results.md, written first by
bench.py). Standard library only.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import log, run  # noqa: E402
from gen_schema import table_sql  # noqa: E402

DRIFTED = 3


class Fleet:
    def __init__(self, a):
        self.a = a
        self.repo = Path(a.repo).resolve()
        self.work = Path(a.work)
        self.pgbin = Path(a.pgbin)
        self.lines = []
        self.notes = []

    def conn_args(self, db):
        return ["-h", self.a.host, "-p", str(self.a.port), "-U", "postgres", "-d", db]

    def url(self, db):
        return f"postgresql://postgres@/{db}?host={self.a.host}&port={self.a.port}"

    def psql(self, db, *args, **kw):
        cmd = [str(self.pgbin / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1"]
        return run(cmd + self.conn_args(db) + list(args), **kw)

    def sg(self, *args):
        return [self.a.schemagate, "-q", *args]

    # -- many databases ----------------------------------------------------
    def prepare_fleet(self, n):
        tpl = "fleet_tpl"
        self.psql("postgres", "-c", f"DROP DATABASE IF EXISTS {tpl}")
        self.psql("postgres", "-c", f"CREATE DATABASE {tpl}")
        for up in sorted((self.repo / "migrations").glob("*.up.sql")):
            self.psql(tpl, "-f", str(up))
        expected = self.repo / "expected_schema.yaml"
        _, proc = run(self.sg("diff", "--database-url", self.url(tpl), "--expected", str(expected)),
                      ok=(0, 1), capture=True)
        if proc.returncode != 0:
            snap = self.work / "fleet_expected.yaml"
            run(self.sg("snapshot", "--database-url", self.url(tpl), "-o", str(snap)))
            self.notes.append("the bundled expected_schema.yaml did not match the migrations applied "
                              "with psql; the fleet was compared with a snapshot of the template")
            expected = snap
        self.expected = expected
        names = [f"fleet_{i:04d}" for i in range(n)]
        sql = self.work / "fleet_create.sql"
        sql.write_text("".join(f"DROP DATABASE IF EXISTS {d};\nCREATE DATABASE {d} TEMPLATE {tpl};\n"
                               for d in names))
        secs, _ = self.psql("postgres", "-f", str(sql))
        log(f"fleet: {n} databases created in {secs:.1f} s")
        _, proc = self.psql(tpl, "-At", "-c",
                            "SELECT relname FROM pg_class WHERE relkind = 'r' "
                            "AND relnamespace = 'public'::regnamespace ORDER BY 1 LIMIT 2",
                            capture=True)
        t1, t2 = proc.stdout.split()[:2]
        step = max(1, n // DRIFTED)
        self.drifted = [names[min(n - 1, step // 2 + k * step)] for k in range(DRIFTED)]
        drifts = ["CREATE TABLE drift_extra (id int)",
                  f"ALTER TABLE {t1} ADD COLUMN drift_col int",
                  f"ALTER TABLE {t2} ADD COLUMN drift_col text"]
        for db, ddl in zip(self.drifted, drifts):
            self.psql(db, "-c", ddl)
        self.names = names
        self.list = self.work / "fleet.txt"
        self.list.write_text("# bench fleet\n" + "".join(f"{d}: {self.url(d)}\n" for d in names))
        self.urls = self.work / "fleet_urls.txt"
        self.urls.write_text("".join(self.url(d) + "\n" for d in names))
        self.dbs = self.work / "fleet_dbs.txt"
        self.dbs.write_text("".join(d + "\n" for d in names))

    def fleet_cmds(self):
        diff = self.sg("diff", "--databases", str(self.list), "--expected", str(self.expected),
                       "--format", "json")
        pg_dump = " ".join([str(self.pgbin / "pg_dump"), "--schema-only", "-f", "/dev/null",
                            "-h", self.a.host, "-p", str(self.a.port), "-U", "postgres"])
        return {
            "schemagate diff --databases --jobs 1": diff + ["--jobs", "1"],
            "schemagate diff --databases (default jobs)": diff,
            "shell loop of schemagate diff": [
                "bash", "-c",
                f'while read -r u; do "{self.a.schemagate}" -q diff --database-url "$u" '
                f'--expected "{self.expected}" >/dev/null || [ $? -eq 1 ]; done < "{self.urls}"'],
            "shell loop of pg_dump --schema-only": [
                "bash", "-c", f'while read -r d; do {pg_dump} -d "$d"; done < "{self.dbs}"'],
        }

    def time_fleet(self, n):
        cmds = self.fleet_cmds()
        names = list(cmds)
        done = {t: [] for t in names}
        for rnd in range(self.a.fleet_runs):
            order = names[rnd % len(names):] + names[: rnd % len(names)]
            for t in order:
                secs, proc = run(cmds[t], ok=(0, 1), capture=True)
                done[t].append(secs)
                log(f"fleet: {t}: {secs:.2f} s")
                if t.startswith("schemagate diff --databases"):
                    self.check_fleet_report(proc.stdout)
        L = self.lines
        L.append("")
        L.append(f"## A fleet: {n:,} databases with the SynapScale schema, {DRIFTED} drifted")
        L.append("")
        L.append(f"One server, {n:,} databases created from a template holding the bundled migrations; "
                 f"{DRIFTED} drifted (an unexpected table, an added column in two others). Wall time in "
                 f"seconds, median of {self.a.fleet_runs} run(s) each, tools in rotating order; every "
                 "fleet run found exactly the drifted ones.")
        L.append("")
        L.append("| tool | seconds | per database (ms) |")
        L.append("|---|---:|---:|")
        med = {t: statistics.median(done[t]) for t in names}
        for t in names:
            L.append(f"| {t} | {med[t]:.2f} | {1000 * med[t] / n:.1f} |")
        L.append("")
        loop = med["shell loop of schemagate diff"]
        default = med["schemagate diff --databases (default jobs)"]
        one = med["schemagate diff --databases --jobs 1"]
        dump = med["shell loop of pg_dump --schema-only"]
        ok = loop / default >= 5
        L.append("| ratio | value | target | met |")
        L.append("|---|---:|---:|---|")
        L.append(f"| shell loop of diff / `--databases` (default jobs) | {loop / default:.1f}× | ≥ 5× | "
                 f"{'yes' if ok else '**no**'} |")
        L.append(f"| shell loop of diff / `--databases --jobs 1` | {loop / one:.1f}× | | |")
        L.append(f"| shell loop of pg_dump / `--databases` (default jobs) | {dump / default:.1f}× | | |")
        L.append(f"| `--jobs 1` / default jobs ({os.cpu_count()} cores) | {one / default:.2f}× | | |")
        print("\n".join(L[-14:]), file=sys.stderr)

    def check_fleet_report(self, text):
        import json
        report = json.loads(text)
        found = sorted(d["name"] for d in report["databases"] if d["status"] != "ok")
        if found != sorted(self.drifted) or len(report["databases"]) != len(self.names):
            raise RuntimeError(f"the fleet run found {found}, expected {self.drifted}")

    # -- big catalogs ------------------------------------------------------
    def prepare_big(self, tables):
        schemas = tables // 50
        db = f"big_{tables}"
        sql = self.work / f"big_{tables}.sql"
        with open(sql, "w") as f:
            f.write("SET client_min_messages = warning;\n")
            for s in range(1, schemas + 1):
                f.write(f"BEGIN;\nCREATE SCHEMA tenant_{s:04d};\nSET LOCAL search_path = tenant_{s:04d};\n")
                for i in range(1, 51):
                    f.write(table_sql(i))
                    f.write("\n")
                f.write("COMMIT;\n")
        self.psql("postgres", "-c", f"DROP DATABASE IF EXISTS {db}")
        self.psql("postgres", "-c", f"CREATE DATABASE {db}")
        secs, _ = self.psql(db, "-f", str(sql))
        log(f"big: {tables} tables loaded in {secs:.1f} s")
        snap = self.work / f"big_{tables}.yaml"
        args = ["snapshot", "--database-url", self.url(db), "-o", str(snap)]
        for s in range(1, schemas + 1):
            args += ["--schema", f"tenant_{s:04d}"]
        secs, _ = run(self.sg(*args))
        size = snap.stat().st_size
        log(f"big: {tables} tables: snapshot in {secs:.2f} s ({size / 1e6:.1f} MB)")
        return {"snapshot": secs, "bytes": size}

    def big_cmds(self, tables):
        db = f"big_{tables}"
        return {
            "schemagate diff": self.sg("diff", "--database-url", self.url(db),
                                       "--expected", str(self.work / f"big_{tables}.yaml")),
            "pg_dump --schema-only": [str(self.pgbin / "pg_dump"), "--schema-only", "-f", "/dev/null"]
            + self.conn_args(db),
        }

    def time_big(self, sizes):
        info = {t: self.prepare_big(t) for t in sizes}
        res = {}
        for tables in sizes:
            cmds = self.big_cmds(tables)
            names = list(cmds)
            done = {t: [] for t in names}
            for rnd in range(self.a.big_runs):
                for t in (names if rnd % 2 == 0 else names[::-1]):
                    secs, _ = run(cmds[t])
                    done[t].append(secs)
                    log(f"big: {tables}: {t}: {secs:.2f} s")
            res[tables] = {t: statistics.median(v) for t, v in done.items()}
            # The peak varies with how the file's parse overlaps the catalog
            # read: the highest of --big-runs runs is reported.
            peaks = [self.peak_rss(cmds["schemagate diff"]) for _ in range(self.a.big_runs)]
            res[tables]["rss_mb"] = None if None in peaks else max(peaks)
            res[tables]["rss_all"] = peaks
            # Median of --big-runs `-v` runs: the load's wall time varies
            # with how it shares the 2 cores with the catalog read.
            loads = [self.load_time(cmds["schemagate diff"]) for _ in range(self.a.big_runs)]
            walls = [w for w, _, _ in loads if w is not None]
            cpus = [c for _, c, _ in loads if c is not None]
            res[tables]["load_ms"] = statistics.median(walls) if walls else None
            res[tables]["load_cpu_ms"] = statistics.median(cpus) if cpus else None
            res[tables]["load_all"] = [(w, c) for w, c, _ in loads]
            res[tables]["verbose"] = loads[-1][2]
        L = self.lines
        L.append("")
        L.append(f"## Big catalogs: schemas × 50 tables ({', '.join(f'{t:,}' for t in sizes)} tables)")
        L.append("")
        L.append("Tables from `bench/gen_schema.py`, 50 per schema (`tenant_NNNN`), one database per size. "
                 f"Median wall seconds of {self.a.big_runs} alternating runs; `schemagate diff` against "
                 "the file `schemagate snapshot` wrote; peak RSS by `/usr/bin/time -v`, the highest of as many separate runs; expected-file "
                 "load time (wall and CPU) the median of as many `schemagate -v diff` runs (it overlaps the catalog read, on another thread).")
        L.append("")
        L.append("| tables | snapshot s | snapshot MB | schemagate diff s | pg_dump --schema-only s | "
                 "diff / pg_dump | diff peak RSS MB | loading the file, % of diff (wall / CPU) |")
        L.append("|---:|---:|---:|---:|---:|---:|---:|---:|")
        for t in sizes:
            r = res[t]
            d, p = r["schemagate diff"], r["pg_dump --schema-only"]
            share = (f"{100 * r['load_ms'] / 1000 / d:.0f} / {100 * r['load_cpu_ms'] / 1000 / d:.0f}"
                     if r["load_ms"] is not None and r["load_cpu_ms"] is not None else "n/a")
            rss = f"{r['rss_mb']:.0f}" if r["rss_mb"] is not None else "n/a"
            L.append(f"| {t:,} | {info[t]['snapshot']:.2f} | {info[t]['bytes'] / 1e6:.1f} | {d:.2f} | "
                     f"{p:.2f} | {d / p:.3f} | {rss} | {share} |")
        big, small = sizes[-1], sizes[0]
        r = res[big]
        d, p = r["schemagate diff"], r["pg_dump --schema-only"]
        L.append("")
        L.append("| target | value | target | met |")
        L.append("|---|---:|---:|---|")

        def row(name, v, target, ok):
            return f"| {name} | {v} | {target} | {'yes' if ok else '**no**'} |"
        L.append(row(f"diff / pg_dump at {big:,}", f"{d / p:.3f}", "≤ 0.3", d / p <= 0.3))
        if r["rss_mb"] is not None:
            L.append(row(f"diff peak RSS at {big:,} (MB)", f"{r['rss_mb']:.0f}", "< 1000", r["rss_mb"] < 1000))
        if len(sizes) > 1:
            g = (d / res[small]["schemagate diff"]) / (big / small)
            # Runs of the same command differ by a few percent: 1.004 is linear.
            L.append(row(f"growth {small:,}→{big:,} ÷ {big / small:g} (linear = 1.0)", f"{g:.2f}",
                         "≤ 1.0 (+5 % run-to-run noise)", g <= 1.05))
        if r["load_ms"] is not None:
            share = r["load_ms"] / 1000 / d
            L.append(row(f"loading the expected file / diff at {big:,}, wall time of the loading thread",
                         f"{100 * share:.0f} %", "≤ 30 %", share <= 0.3))
        if r.get("load_cpu_ms") is not None:
            share = r["load_cpu_ms"] / 1000 / d
            L.append(row(f"loading the expected file / diff at {big:,}, CPU time of the loading thread",
                         f"{100 * share:.0f} %", "≤ 30 %", share <= 0.3))
        if r.get("load_all"):
            L.append("")
            L.append(f"Loading the file at {big:,} tables, each `-v` run (wall / CPU ms): "
                     + ", ".join(f"{w} / {c}" for w, c in r["load_all"]) + ". The file is parsed on the "
                     "main thread while another reads the catalog; on 2 cores shared with the server's two "
                     "backends its wall time is mostly waiting for a core, its CPU time is the work of loading.")
        if r.get("rss_all") and None not in r["rss_all"]:
            L.append("")
            L.append(f"Peak RSS of each run at {big:,} tables: "
                     + ", ".join(f"{mb:.0f}" for mb in r["rss_all"]) + " MB.")
        L.append("")
        L.append(f"`schemagate -v diff` at {big:,} tables:")
        L.append("")
        L.append("```")
        L.extend(r["verbose"])
        L.append("```")
        print("\n".join(L), file=sys.stderr)

    def peak_rss(self, cmd):
        if not os.path.exists("/usr/bin/time"):
            self.notes.append("/usr/bin/time missing: peak RSS not measured")
            return None
        proc = subprocess.run(["/usr/bin/time", "-v"] + cmd, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
        return int(m.group(1)) * 1024 / 1e6 if m else None

    def load_time(self, cmd):
        cmd = [c if c != "-q" else "-v" for c in cmd]
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        lines = [l.replace("schemagate: ", "") for l in proc.stderr.splitlines() if " ms" in l]
        m = re.search(r"loaded .* in (\d+) ms(?: \((\d+) ms of CPU\))?", proc.stderr)
        wall = int(m.group(1)) if m else None
        cpu = int(m.group(2)) if m and m.group(2) else None
        return wall, cpu, lines


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", required=True)
    p.add_argument("--port", type=int, default=5432)
    p.add_argument("--pgbin", required=True)
    p.add_argument("--schemagate", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--repo", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--parts", default="fleet big")
    p.add_argument("--fleet", type=int, default=1000)
    p.add_argument("--fleet-runs", type=int, default=1)
    p.add_argument("--big-sizes", default="5000 50000")
    p.add_argument("--big-runs", type=int, default=3)
    a = p.parse_args()
    parts = a.parts.split()
    started = time.perf_counter()
    load_start = os.getloadavg()[0]
    f = Fleet(a)
    if "fleet" in parts:
        f.prepare_fleet(a.fleet)
        f.time_fleet(a.fleet)
    if "big" in parts:
        f.time_big([int(s) for s in a.big_sizes.replace(",", " ").split()])
    for n in f.notes:
        f.lines.append(f"- note: {n}")
    f.lines.append("")
    f.lines.append(f"(fleet and big-catalog parts: {(time.perf_counter() - started) / 60:.1f} min, "
                   f"by `bench/fleet.py` on {time.strftime('%Y-%m-%d %H:%M %Z')}, {os.cpu_count()} cores; "
                   f"load average (1 min) {load_start:.2f} at start, {os.getloadavg()[0]:.2f} at end: "
                   "other work on the machine slows every tool alike)")
    out = Path(a.out)
    with open(out, "a") as fh:
        fh.write("\n".join(f.lines) + "\n")
    log(f"appended to {out}")


if __name__ == "__main__":
    main()
