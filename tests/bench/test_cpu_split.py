"""Where a measured run's CPU went (bench/cpu.py), read from a /proc written here: by kind, new and gone processes."""

from __future__ import annotations

import os
from pathlib import Path

from bench import cpu

TICKS = os.sysconf("SC_CLK_TCK")


def fake_process(proc: Path, pid: int, command_line: str, cpu_ticks: tuple[int, int], started: int) -> None:
    folder = proc / str(pid)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cmdline").write_bytes(command_line.replace(" ", "\0").encode() + b"\0")
    utime, stime = cpu_ticks
    # fields after "(comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    # cutime cstime priority nice num_threads itrealvalue starttime ...; the name may hold spaces and parentheses
    rest = ["S", "1", "1", "1", "0", "-1", "0", "0", "0", "0", "0", str(utime), str(stime), "0", "0", "20", "0"]
    (folder / "stat").write_text(f"{pid} (gunicorn: a (b)) " + " ".join([*rest, "1", "0", str(started), "0"]))


def test_processes_are_named_by_what_they_run_and_anything_else_is_other():
    assert cpu.kind_of("gunicorn -c deploy/gunicorn.conf.py services.contracting.entrypoints.wsgi:app") == "contracting"
    assert cpu.kind_of("postgres: 15/main: postgres sscp_bench_contracting 127.0.0.1(41640) idle") == "postgres"
    assert cpu.kind_of("gunicorn bench.hello:app") == "hello"
    assert cpu.kind_of("/usr/bin/python -m pytest tests/") == cpu.OTHER


def test_the_cpu_spent_between_two_snapshots_counts_each_kind_once_and_a_new_process_whole(tmp_path):
    fake_process(tmp_path, 10, "gunicorn services.contracting.entrypoints.wsgi:app", (100 * TICKS, 5 * TICKS), 7)
    fake_process(tmp_path, 11, "postgres: 15/main: idle", (20 * TICKS, 0), 8)
    fake_process(tmp_path, 12, "python -m pytest", (50 * TICKS, 0), 9)
    before = cpu.snapshot(tmp_path)

    fake_process(tmp_path, 10, "gunicorn services.contracting.entrypoints.wsgi:app", (104 * TICKS, 6 * TICKS), 7)
    fake_process(tmp_path, 11, "postgres: 15/main: idle", (21 * TICKS, 0), 8)
    fake_process(tmp_path, 12, "postgres: 15/main: a new backend on a reused pid", (2 * TICKS, 0), 99)
    fake_process(tmp_path, 13, "postgres: 15/main: another new backend", (1 * TICKS, 0), 100)
    spent = cpu.spent(before, cpu.snapshot(tmp_path))

    assert spent["contracting"] == 5.0
    assert spent["postgres"] == 1.0 + 2.0 + 1.0  # the reused pid counts from zero, not from pytest's 50 s
    assert cpu.OTHER not in spent  # pytest's process ended: nothing of it is counted


def test_the_split_per_request_names_the_largest_first_and_the_rest_of_the_machine_apart():
    per_request = cpu.per_request_ms({"postgres": 1.3, "contracting": 4.9, "wrk": 0.01, cpu.OTHER: 0.2}, 1000)
    assert cpu.describe(per_request) == "contracting 4.90 + postgres 1.30 ms; other processes 0.20 ms"
    assert cpu.per_request_ms({"postgres": 1.0}, 0) == {}
