"""A fork server for the hostile-input corpus: import the command line once, then run
each case in a forked child with its own stdout, stderr, working folder, environment and
address-space ceiling, and report its exit code, peak memory and CPU time (from wait4).

Protocol: one JSON request per line on stdin ({"args", "cwd", "env", "out", "err",
"limit", "guard"}), one JSON answer per line on stdout ({"code", "max_rss_kib",
"cpu_seconds", "hung"}).
"""

import json
import os
import resource
import signal
import sys
import time

import duckdb  # noqa: F401 - imported once here so that each child need not
import pyhanko.sign.validation  # noqa: F401

from app.cli import main


def child(request: dict) -> None:
    """Run one case; never returns."""
    code = 3
    try:
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        limit = request["limit"]
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        for fd, path in ((1, request["out"]), (2, request["err"])):
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(handle, fd)
            os.close(handle)
        sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
        code = main(request["args"])
    except BaseException as exc:  # noqa: BLE001 - report what escaped main
        print(f"escaped main: {type(exc).__name__}: {exc}", file=sys.stderr)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def serve() -> None:
    """Answer requests until stdin closes."""
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            child(request)
        deadline = time.monotonic() + request["guard"]
        hung = False
        while True:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                hung = True
                os.kill(pid, signal.SIGKILL)
            time.sleep(0.02)
        code = os.waitstatus_to_exitcode(status)
        answer = {"code": code, "max_rss_kib": usage.ru_maxrss,
                  "cpu_seconds": usage.ru_utime + usage.ru_stime, "hung": hung}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
