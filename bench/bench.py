#!/usr/bin/env python3
"""The side-by-side benchmark behind bench/run.sh (run that, not this).

Given a running throwaway PostgreSQL (unix socket directory --host), this:

  1. generates synthetic schemas (bench/gen_schema.py) of --sizes tables,
     each loaded with psql into its own database bench_N, plus an identical
     copy bench_N_copy (CREATE DATABASE ... TEMPLATE) for migra;
  2. takes one `schemagate snapshot -o` of each and checks that
     `schemagate diff` against it finds nothing (exit 0);
  3. times, alternating in rotating order within each round, --runs runs
     each of `schemagate diff` (against the snapshot), `pg_dump
     --schema-only` and `migra bench_N bench_N_copy`; a tool whose first
     run at a size takes over --slow-seconds gets only --slow-runs runs
     there (at least 3);
  4. measures schemagate diff's peak RSS at the largest size with
     /usr/bin/time -v;
  5. times `schemagate check --target local` on the bundled migrations
     (template cache warmed by one untimed run) against
     bench/baseline_check.sh, alternating;
  6. prints medians and ratios and writes them to --out (Markdown).

Standard library only; every external program is called as a subprocess,
its wall time measured with time.perf_counter().
"""

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

DEVNULL = subprocess.DEVNULL


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def run(cmd, env=None, ok=(0,), capture=False, stdin=None):
    """Runs cmd; returns (seconds, CompletedProcess). Fails on an unexpected exit."""
    start = time.perf_counter()
    proc = subprocess.run(
        cmd,
        env=env,
        stdin=stdin if stdin is not None else DEVNULL,
        stdout=subprocess.PIPE if capture else DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode not in ok:
        raise RuntimeError(
            f"{' '.join(map(str, cmd))} exited {proc.returncode}:\n"
            f"{(proc.stdout or '')[-2000:]}{proc.stderr[-2000:]}"
        )
    return elapsed, proc


class Bench:
    def __init__(self, args):
        self.a = args
        self.repo = Path(args.repo).resolve()
        self.work = Path(args.work)
        self.pgbin = Path(args.pgbin)
        self.results = {}  # (size, tool) -> [seconds]
        self.load_start = os.getloadavg()[0]
        self.notes = []

    # -- connections -------------------------------------------------------
    def conn_args(self, db):
        return ["-h", self.a.host, "-p", str(self.a.port), "-U", "postgres", "-d", db]

    def url(self, db):
        return f"postgresql://postgres@/{db}?host={self.a.host}&port={self.a.port}"

    def psql(self, db, *args, **kw):
        cmd = [str(self.pgbin / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1"]
        return run(cmd + self.conn_args(db) + list(args), **kw)

    # -- the tools ---------------------------------------------------------
    def cmd(self, tool, size):
        db = f"bench_{size}"
        if tool == "schemagate diff":
            return [
                self.a.schemagate, "-q", "diff",
                "--database-url", self.url(db),
                "--expected", str(self.work / f"snapshot_{size}.yaml"),
            ]
        if tool == "pg_dump --schema-only":
            return [str(self.pgbin / "pg_dump"), "--schema-only", "-f", "/dev/null"] + self.conn_args(db)
        if tool == "migra":
            return [self.a.migra, self.url(db), self.url(db + "_copy")]
        raise ValueError(tool)

    def tools(self):
        tools = ["schemagate diff", "pg_dump --schema-only"]
        if self.a.migra:
            tools.append("migra")
        return tools

    # -- steps -------------------------------------------------------------
    def prepare(self, size):
        db = f"bench_{size}"
        sql = self.work / f"schema_{size}.sql"
        with open(sql, "w") as f:
            subprocess.run([sys.executable, str(self.repo / "bench" / "gen_schema.py"), str(size)],
                           stdout=f, check=True)
        self.psql("postgres", "-c", f"DROP DATABASE IF EXISTS {db}_copy")
        self.psql("postgres", "-c", f"DROP DATABASE IF EXISTS {db}")
        self.psql("postgres", "-c", f"CREATE DATABASE {db}")
        secs, _ = self.psql(db, "-f", str(sql))
        log(f"{size} tables: loaded in {secs:.1f} s")
        if self.a.migra:
            self.psql("postgres", "-c", f"CREATE DATABASE {db}_copy TEMPLATE {db}")
        snap = self.work / f"snapshot_{size}.yaml"
        secs, _ = run([self.a.schemagate, "-q", "snapshot", "--database-url", self.url(db), "-o", str(snap)])
        log(f"{size} tables: snapshot in {secs:.2f} s ({snap.stat().st_size // 1024} KiB of YAML)")
        # The diff of a database against its own snapshot must be clean.
        _, proc = run(self.cmd("schemagate diff", size), ok=(0, 1), capture=True)
        if proc.returncode != 0:
            raise RuntimeError(f"schemagate diff against its own snapshot found mismatches:\n{proc.stdout[:3000]}")
        if self.a.migra:
            _, proc = run(self.cmd("migra", size), ok=(0, 2), capture=True)
            if proc.stdout.strip():
                self.notes.append(f"migra reported differences between identical databases at {size} tables")

    def time_size(self, size):
        tools = self.tools()
        want = {t: self.a.runs for t in tools}
        done = {t: [] for t in tools}
        rnd = 0
        while any(len(done[t]) < want[t] for t in tools):
            # Rotate the order every round so no tool always goes first.
            order = tools[rnd % len(tools):] + tools[: rnd % len(tools)]
            for tool in order:
                if len(done[tool]) >= want[tool]:
                    continue
                secs, _ = run(self.cmd(tool, size), ok=(0,))
                done[tool].append(secs)
                if len(done[tool]) == 1 and secs > self.a.slow_seconds:
                    want[tool] = max(3, min(self.a.runs, self.a.slow_runs))
            rnd += 1
        for tool in tools:
            self.results[(size, tool)] = done[tool]
            log(f"{size} tables: {tool}: median {statistics.median(done[tool]):.3f} s "
                f"of {len(done[tool])} ({', '.join(f'{s:.3f}' for s in done[tool])})")

    def stages(self, size):
        """One extra `schemagate -v diff` run: where its time goes (not timed)."""
        cmd = self.cmd("schemagate diff", size)
        cmd[1] = "-v"
        proc = subprocess.run(cmd, stdout=DEVNULL, stderr=subprocess.PIPE, text=True)
        return [l.replace("schemagate: ", "") for l in proc.stderr.splitlines() if "ms" in l]

    def peak_rss(self, size):
        timev = "/usr/bin/time"
        if not os.path.exists(timev):
            self.notes.append("/usr/bin/time missing: peak RSS not measured")
            return None
        cmd = [timev, "-v"] + self.cmd("schemagate diff", size)
        proc = subprocess.run(cmd, stdout=DEVNULL, stderr=subprocess.PIPE, text=True)
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
        if proc.returncode != 0 or not m:
            raise RuntimeError(f"/usr/bin/time -v schemagate diff failed:\n{proc.stderr[-2000:]}")
        return int(m.group(1))

    def time_check(self):
        env = dict(os.environ)
        env["SCHEMAGATE_CACHE_DIR"] = str(self.work / "cache")
        check = [self.a.schemagate, "-q", "check", "--target", "local", "--pg-bin", str(self.pgbin),
                 "--migrations", str(self.repo / "migrations"),
                 "--expected", str(self.repo / "expected_schema.yaml")]
        baseline = ["bash", str(self.repo / "bench" / "baseline_check.sh"),
                    str(self.repo / "migrations"), str(self.pgbin)]
        secs, _ = run(check, env=env)
        log(f"check: cold (initdb into the template cache) {secs:.2f} s, not counted")
        tools = {"schemagate check (warm)": check, "shell baseline": baseline}
        names = list(tools)
        done = {t: [] for t in names}
        for rnd in range(self.a.runs):
            order = names if rnd % 2 == 0 else names[::-1]
            for t in order:
                secs, _ = run(tools[t], env=env)
                done[t].append(secs)
        for t in names:
            self.results[("check", t)] = done[t]
            log(f"{t}: median {statistics.median(done[t]):.3f} s ({', '.join(f'{s:.3f}' for s in done[t])})")

    # -- report ------------------------------------------------------------
    def med(self, key):
        v = self.results.get(key)
        return statistics.median(v) if v else None

    def machine(self):
        cpu = "unknown CPU"
        try:
            for line in open("/proc/cpuinfo"):
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        except OSError:
            pass
        mem = 0
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) / 1024 / 1024
        _, proc = run([str(self.pgbin / "postgres"), "--version"], capture=True)
        pg = proc.stdout.split()[2] if proc.stdout else "?"
        return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, {platform.system()} {platform.release()}, PostgreSQL {pg}"

    def report(self, rss_kb, elapsed):
        sizes = self.a.sizes
        tools = self.tools()
        big, prev = sizes[-1], (sizes[-2] if len(sizes) > 1 else None)
        rev = subprocess.run(["git", "-C", str(self.repo), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True).stdout.strip() or "?"
        L = []
        L.append("# schemagate benchmark results")
        L.append("")
        L.append(f"Produced by `bash bench/run.sh` on {time.strftime('%Y-%m-%d %H:%M %Z')} "
                 f"(schemagate {rev}, {elapsed / 60:.1f} min in all).")
        L.append(f"Machine: {self.machine()}. Load average (1 min) at start {self.load_start:.2f}, "
                 f"at end {os.getloadavg()[0]:.2f}: other work on the machine slows every tool alike, "
                 "and the ratios come from runs interleaved in time.")
        L.append("")
        L.append("Median wall time in seconds (runs per cell in parentheses). Synthetic schema: "
                 "per table 8-9 columns, primary key, unique, check, 1-2 foreign keys, "
                 "2 indexes (1 partial); see `bench/gen_schema.py`.")
        L.append("")
        L.append("| tables | " + " | ".join(tools) + " |")
        L.append("|---:|" + "---:|" * len(tools))
        for size in sizes:
            cells = []
            for t in tools:
                v = self.results.get((size, t))
                cells.append(f"{statistics.median(v):.3f} ({len(v)})" if v else "n/a")
            L.append(f"| {size:,} | " + " | ".join(cells) + " |")
        L.append("")
        c, b = self.med(("check", "schemagate check (warm)")), self.med(("check", "shell baseline"))
        if c is not None:
            n = len(self.results[("check", "shell baseline")])
            L.append("| bundled SynapScale migrations | schemagate check (warm) | shell baseline |")
            L.append("|---|---:|---:|")
            L.append(f"| median s ({n} runs each) | {c:.3f} | {b:.3f} |")
            L.append("")

        def ratio_row(name, value, target, ok):
            if value is None:
                return f"| {name} | n/a | {target} | — |"
            return f"| {name} | {value:.3f} | {target} | {'yes' if ok(value) else '**no**'} |"

        L.append("| ratio | value | target | met |")
        L.append("|---|---:|---:|---|")
        d_big = self.med((big, "schemagate diff"))
        p_big = self.med((big, "pg_dump --schema-only"))
        m_big = self.med((big, "migra"))
        L.append(ratio_row(f"schemagate diff / pg_dump --schema-only at {big:,}",
                           d_big / p_big if d_big and p_big else None, "≤ 0.5", lambda v: v <= 0.5))
        L.append(ratio_row(f"schemagate diff / migra at {big:,}",
                           d_big / m_big if d_big and m_big else None, "≤ 0.1", lambda v: v <= 0.1))
        if prev:
            d_prev = self.med((prev, "schemagate diff"))
            growth = (d_big / d_prev) / (big / prev)
            L.append(ratio_row(f"growth {prev:,}→{big:,} of schemagate diff ÷ {big / prev:g} (linear = 1.0)",
                               growth, "≤ 1.0 (+5 % run-to-run noise)", lambda v: v <= 1.05))
        L.append(ratio_row("schemagate check (warm) / shell baseline",
                           c / b if c is not None and b else None, "≤ 0.5", lambda v: v <= 0.5))
        if rss_kb is not None:
            mb = rss_kb * 1024 / 1e6
            L.append(f"| schemagate diff peak RSS at {big:,} tables (MB) | {mb:.1f} | < 150 | "
                     f"{'yes' if mb < 150 else '**no**'} |")
        L.append("")
        for size in sizes:
            d = self.med((size, "schemagate diff"))
            parts = []
            for t in tools[1:]:
                o = self.med((size, t))
                if o:
                    parts.append(f"{d / o:.3f}× {t}")
            L.append(f"- {size:,} tables: schemagate diff = " + ", ".join(parts))
        for n in self.notes:
            L.append(f"- note: {n}")
        if getattr(self, "stage_lines", None):
            L.append("")
            L.append(f"Where schemagate diff's time goes at {big:,} tables (`schemagate -v diff`, one more run; "
                     "the expected file is parsed on another thread while the catalog is read):")
            L.append("")
            L.append("```")
            L.extend(self.stage_lines)
            L.append("```")
        L.append("")
        L.append("Tools: `schemagate diff --database-url … --expected snapshot_N.yaml` "
                 "(the snapshot taken once by `schemagate snapshot -o`); "
                 "`pg_dump --schema-only -f /dev/null`; "
                 f"`migra bench_N bench_N_copy` ({self.migra_version()}). "
                 "`schemagate check --target local` (template cache warmed by one untimed run) "
                 "against `bench/baseline_check.sh` (initdb, start, `psql -f` each up migration, "
                 "`pg_dump --schema-only`, stop, remove). All on one PostgreSQL cluster over a "
                 "unix socket with fsync off; tools alternate within each round.")
        return "\n".join(L) + "\n"

    def migra_version(self):
        if not self.a.migra:
            return "migra not available"
        return self.a.migra_version or "migra"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", required=True, help="unix socket directory of the server")
    p.add_argument("--port", type=int, default=5432)
    p.add_argument("--pgbin", required=True)
    p.add_argument("--schemagate", required=True)
    p.add_argument("--migra", default="")
    p.add_argument("--migra-version", default="")
    p.add_argument("--migra-note", default="")
    p.add_argument("--work", required=True)
    p.add_argument("--repo", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--sizes", default="100,1000,5000")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--slow-runs", type=int, default=3)
    p.add_argument("--slow-seconds", type=float, default=10.0)
    a = p.parse_args()
    a.sizes = [int(s) for s in a.sizes.replace(",", " ").split()]
    started = time.perf_counter()
    b = Bench(a)
    if a.migra_note:
        b.notes.append(a.migra_note)
    for size in a.sizes:
        b.prepare(size)
    for size in a.sizes:
        b.time_size(size)
    rss = b.peak_rss(a.sizes[-1])
    b.stage_lines = b.stages(a.sizes[-1])
    b.time_check()
    text = b.report(rss, time.perf_counter() - started)
    Path(a.out).write_text(text)
    print(text)
    log(f"written to {a.out}")


if __name__ == "__main__":
    main()
