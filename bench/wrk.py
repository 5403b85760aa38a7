"""Load runs with wrk (Debian package ``wrk``): Lua scripts for the bid POSTs and a JSON summary of each run.

Every script ends with the same ``done`` function, which prints one ``WRKJSON {...}`` line: requests, duration,
error counts (``non2xx`` is wrk's count of responses with a status of 400 or more) and latency percentiles.
wrk is a closed loop: each of its connections sends its next request when the previous one was answered.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

DONE = r"""
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%.0f,"duration_us":%.0f,"non2xx":%.0f,"connect":%.0f,"read":%.0f,"write":%.0f,' ..
    '"timeout":%.0f,"p50_us":%.0f,"p95_us":%.0f,"p99_us":%.0f,"max_us":%.0f}\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""

# Each wrk thread serves CSOs thread*per_thread … (thread+1)*per_thread-1 in turn; CSO c bids on tenders
# c*stride + round (mod tenders), round by round, so no CSO bids twice on one tender (a second bid is a 409).
BIDS = r"""
local tokens = {%(tokens)s}
local tenders = %(tenders)d
local first_round = FIRST_ROUND
local per_thread = %(per_thread)d
local stride = %(stride)d
local threads_started = 0
local counter = 0

function setup(thread)
  thread:set("thread_index", threads_started)
  threads_started = threads_started + 1
end

function request()
  local slot = counter %% per_thread
  local round = first_round + math.floor(counter / per_thread)
  counter = counter + 1
  local cso = thread_index * per_thread + slot
  local tender = (cso * stride + round) %% tenders + 1
  local body = string.format('{"lot_id":%%d,"unit_price":"1250.00","places":5,' ..
    '"quality_text":"Echipa de 6 asistenti personali, program 8-20, supervizare lunara.",' ..
    '"quality_answers":[{"criterion_id":%%d,"answer":"Plan individual de asistenta pentru fiecare beneficiar."}],' ..
    '"documents":[]}', tender, 2 * tender)
  local headers = {["Authorization"] = "Bearer " .. tokens[cso + 1], ["Content-Type"] = "application/json"}
  return wrk.format("POST", "/api/v1/tenders/" .. tender .. "/bids", headers, body)
end
"""


# A call's page, as visitors open them from the listing: one of the ``hot`` newest calls, at random.
HOT_CALLS = 200
CALL_PAGES = r"""
local newest = %(newest)d
local hot = %(hot)d
function request()
  return wrk.format("GET", "/api/v1/tenders/" .. (newest - math.random(0, hot - 1)))
end
"""


@dataclass(frozen=True)
class WrkRun:
    requests: int
    seconds: float
    errors: int  # responses >= 400, plus connect/read/write errors and timeouts
    p50_ms: float
    p95_ms: float
    p99_ms: float
    cpu_seconds: dict[str, float] = field(default_factory=dict)  # by kind of process (bench/cpu.py), if measured

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def wrk_path() -> str | None:
    return shutil.which("wrk")


def write_scripts(folder: Path, tokens: list[str], tenders: int, threads: int) -> tuple[Path, Path, Path]:
    """The GET script (summary only), the call pages' script and the bid script with ``FIRST_ROUND`` left for
    each run to fill in."""
    folder.mkdir(parents=True, exist_ok=True)
    get = folder / "get.lua"
    get.write_text(DONE)
    values = {"tokens": ", ".join(f'"{t}"' for t in tokens), "tenders": tenders}
    values |= {"per_thread": len(tokens) // threads, "stride": max(1, tenders // len(tokens))}
    pages = folder / "call-pages.lua"
    pages.write_text(CALL_PAGES % {"newest": tenders, "hot": min(HOT_CALLS, tenders)} + DONE)
    template = folder / "bids.lua.template"
    template.write_text(BIDS % values + DONE)
    return get, pages, template


def bid_script(template: Path, first_round: int) -> Path:
    script = template.with_name(f"bids-{first_round}.lua")
    script.write_text(template.read_text().replace("FIRST_ROUND", str(first_round)))
    return script


def run(url: str, script: Path, seconds: float, connections: int, threads: int) -> WrkRun:
    argv = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s", "-s", str(script), url]
    done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=seconds + 60)
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    data = json.loads(line.removeprefix("WRKJSON "))
    errors = sum(int(data[key]) for key in ("non2xx", "connect", "read", "write", "timeout"))
    return WrkRun(
        requests=int(data["requests"]),
        seconds=data["duration_us"] / 1e6,
        errors=errors,
        p50_ms=data["p50_us"] / 1000.0,
        p95_ms=data["p95_us"] / 1000.0,
        p99_ms=data["p99_us"] / 1000.0,
    )
