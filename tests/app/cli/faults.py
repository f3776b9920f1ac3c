# SPDX-License-Identifier: GPL-3.0-or-later
"""Fault tests of `loopscope run` that need more than cli.cmake can do: a file-size limit, another
user, signals sent while the outputs are written, a SIGINT storm. One CTest test per case:

    python3 faults.py LOOPSCOPE CASE WORK_DIR

Each case prints what it checked and exits 0, or exits 1 naming what went wrong.
"""
import fcntl
import json
import os
import resource
import select
import shutil
import signal
import stat
import subprocess
import sys
import time

LOOPSCOPE, CASE, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
DIR = os.path.join(WORK, CASE)
TIMEOUT = 120

# Many tasks, many steps: a trace of tens of MB, whose export takes a while.
BIG = """import asyncio
import sys


async def tick(i):
    for _ in range(20):
        await asyncio.sleep(0.01)


async def main():
    await asyncio.gather(*(tick(i) for i in range(2000)))
    print("main done")
    sys.stdout.flush()


asyncio.run(main())
"""

SMALL = """import asyncio


async def main():
    for _ in range(50):
        await asyncio.sleep(0.01)
    print("main done")


asyncio.run(main())
"""

# The first SIGINT cancels main, whose cleanup takes CLEANUP seconds unless a second SIGINT ends
# it.
STORM = """import asyncio
import sys

CLEANUP = 60


async def main():
    print("ready")
    sys.stdout.flush()
    try:
        await asyncio.sleep(60)
    except asyncio.CancelledError:
        print("main cancelled")
        sys.stdout.flush()
        await asyncio.sleep(CLEANUP)
        print("cleanup done")
        raise


asyncio.run(main())
"""

# main ends at once; asyncio.run's shutdown then cancels a worker whose cleanup takes a minute.
STORM_SHUTDOWN = """import asyncio
import sys


async def worker():
    try:
        await asyncio.sleep(60)
    except asyncio.CancelledError:
        print("worker cancelled")
        sys.stdout.flush()
        await asyncio.sleep(60)
        print("cleanup done")
        raise


async def main():
    asyncio.create_task(worker())
    await asyncio.sleep(0)


asyncio.run(main())
"""


# Each prints a line with flush=True, then keeps running for a minute: a reader of the pipe must
# see the line at once (stdout to a pipe is fully buffered otherwise).
FLUSHED = {
    "print(flush=True) at top level": """import time
print("flushed", flush=True)
time.sleep(60)
""",
    "print(flush=True) in a task": """import asyncio


async def main():
    print("flushed", flush=True)
    await asyncio.sleep(60)


asyncio.run(main())
""",
    "print(file=sys.stdout, flush=True)": """import sys
import time
print("flushed", file=sys.stdout, flush=True)
time.sleep(60)
""",
}


# SIGINT outside asyncio.run, where Python's default handler takes it: each script prints
# "ready", then loops until a Ctrl-C.
OUTSIDE = {
    "time.sleep loop at top level": """import time
print("ready", flush=True)
while True:
    time.sleep(0.05)
""",
    "busy loop at top level": """print("ready", flush=True)
n = 0
while True:
    n += 1
""",
    "busy loop in a function": """def spin():
    n = 0
    while True:
        n += 1


print("ready", flush=True)
spin()
""",
    "time.sleep loop after asyncio.run": """import asyncio
import time


async def main():
    await asyncio.sleep(0.01)


asyncio.run(main())
print("ready", flush=True)
for _ in range(6000):
    time.sleep(0.01)
""",
    "caught, and the script goes on": """import time
print("ready", flush=True)
try:
    while True:
        time.sleep(0.05)
except KeyboardInterrupt as e:
    print("caught", repr(e), e.args)
total = 0
for i in range(100000):
    total += i
print("went on:", total)
""",
}


def fail(what, proc=None):
    msg = f"faults.{CASE}: {what}"
    if proc is not None:
        msg += f"\n--- exit status: {proc.returncode}\n--- stdout:\n{proc.stdout}\n--- stderr:\n{proc.stderr}"
    print(msg, file=sys.stderr)
    sys.exit(1)


def env():
    e = dict(os.environ)
    e["QT_QPA_PLATFORM"] = "offscreen"
    return e


def write(name, text):
    path = os.path.join(DIR, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def read(name):
    with open(os.path.join(DIR, name), "rb") as f:
        return f.read()


def run(args, preexec=None):
    return subprocess.run([LOOPSCOPE, "run", *args], cwd=DIR, env=env(), capture_output=True,
                          text=True, timeout=TIMEOUT, preexec_fn=preexec)


def names(stderr, name):
    """The error message names the file (quoted, or as "Cannot write NAME: why")."""
    return f"'{name}'" in stderr or f" {name}:" in stderr


def expect_only(names, proc=None):
    """No temporary file or partial output next to the outputs."""
    left = sorted(os.listdir(DIR))
    if left != sorted(names):
        fail(f"files in the output directory: {left}, expected {sorted(names)}", proc)


def expect_trace(name, proc=None):
    try:
        events = json.loads(read(name))["traceEvents"]
    except (ValueError, KeyError) as e:
        fail(f"{name} is not a complete trace ({e})", proc)
    if len(events) < 10:
        fail(f"{name}: only {len(events)} events", proc)


def expect_png(name, proc=None):
    data = read(name)
    if not data.startswith(b"\x89PNG\r\n\x1a\n") or not data.rstrip(b"\0").endswith(b"IEND\xaeB`\x82"):
        fail(f"{name} is not a complete PNG", proc)


def limit_file_size(limit):
    def preexec():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        # What a shell would pass on: the default action. loopscope itself ignores SIGXFSZ.
        signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
    return preexec


def export_full():
    # A file-size limit stands for a full disk: the write fails half-way (EFBIG). The error names
    # the file, the status is 1, the previous file is untouched, nothing is left behind.
    script = write("big.py", BIG)
    for option, name, limit in (("--trace", "trace.json", 64 << 10), ("--image", "t.png", 4 << 10)):
        write(name, "previous " + name)
        p = run([script, "--virtual-time", option, name], preexec=limit_file_size(limit))
        if p.returncode != 1:
            fail(f"{option}: exit status {p.returncode}, expected 1 (not death by SIGXFSZ)", p)
        if not names(p.stderr, name) or "File too large" not in p.stderr:
            fail(f"{option}: the error does not name '{name}' and the reason", p)
        if "main done" not in p.stdout:
            fail(f"{option}: the run itself did not complete", p)
        if read(name) != ("previous " + name).encode():
            fail(f"{option}: the previous {name} was changed", p)
        print(f"{option} past the size limit: {p.stderr.strip()}")
    expect_only(["big.py", "trace.json", "t.png"])


def as_nobody():
    """preexec_fn: root ignores permissions, so a root test runs loopscope as nobody."""
    if os.geteuid() != 0:
        return None

    def preexec():
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)
    return preexec


def export_readonly():
    # A directory the user may not write to: the outputs cannot be replaced (each previous file
    # itself is writable, so the directory is the reason). Then previous files the user may not
    # write, in a writable directory. Either way the previous files stay as they are, nothing is
    # created, each file is named with the reason, the status is 1.
    script = write("small.py", SMALL)
    outputs = ("trace.json", "t.png", "s.json")
    args = [script, "--virtual-time", "--trace", "trace.json", "--image", "t.png",
            "--summary", "s.json"]
    for what, file_mode, dir_mode, reason in (
            ("read-only directory", 0o666, 0o555, "Permission denied"),
            ("read-only files", 0o444, 0o777, "is not writable")):
        os.chmod(DIR, 0o755)
        for name in outputs:
            write(name, "previous " + name)
            os.chmod(os.path.join(DIR, name), file_mode)
        os.chmod(DIR, dir_mode)
        try:
            p = run(args, preexec=as_nobody())
        finally:
            os.chmod(DIR, 0o755)
        if p.returncode != 1:
            fail(f"{what}: exit status {p.returncode}, expected 1", p)
        if "main done" not in p.stdout:
            fail(f"{what}: the run itself did not complete", p)
        for name in outputs:
            line = next((l for l in p.stderr.splitlines() if names(l, name)), None)
            if line is None or reason not in line:
                fail(f"{what}: no error naming {name} with the reason '{reason}'", p)
            if read(name) != ("previous " + name).encode():
                fail(f"{what}: the previous {name} was changed", p)
        expect_only(["small.py", *outputs], p)
        print(f"{what}:\n{p.stderr.strip()}")


def export_to_device():
    # A device is written into, not replaced: as root, a renamed temporary file would have taken
    # /dev/full's place. /dev/full reports ENOSPC on every write.
    before = os.stat("/dev/full")
    if not stat.S_ISCHR(before.st_mode):
        fail("/dev/full is not a character device to begin with")
    script = write("small.py", SMALL)
    try:
        for option in ("--trace", "--image", "--summary"):
            p = run([script, "--virtual-time", option, "/dev/full"])
            if p.returncode != 1 or not names(p.stderr, "/dev/full") or \
                    "No space left on device" not in p.stderr:
                fail(f"{option} /dev/full: expected status 1 and ENOSPC naming the path", p)
            print(f"{option} /dev/full: {p.stderr.strip()}")
    finally:
        after = os.stat("/dev/full")
        if not stat.S_ISCHR(after.st_mode):
            if os.geteuid() == 0:  # put it back before failing
                os.remove("/dev/full")
                os.mknod("/dev/full", 0o666 | stat.S_IFCHR, os.makedev(1, 7))
            fail("/dev/full was replaced by a regular file")
    # A pipe works as an output too (e.g. --trace /dev/stdout | gzip).
    p = subprocess.run([LOOPSCOPE, "run", script, "--virtual-time", "--trace", "/dev/stdout"],
                       cwd=DIR, env=env(), capture_output=True, timeout=TIMEOUT)
    if p.returncode != 0 or b'"traceEvents"' not in p.stdout:
        fail(f"--trace /dev/stdout: status {p.returncode}, stderr {p.stderr!r}")
    expect_only(["small.py"])


def writing(pid, directory):
    """True while the process has a file open for writing in `directory` (an output in progress;
    Qt writes it to an unnamed O_TMPFILE, or a named temporary on other file systems)."""
    fd_dir = f"/proc/{pid}/fd"
    try:
        fds = os.listdir(fd_dir)
    except OSError:
        return False
    for fd in fds:
        try:
            target = os.readlink(os.path.join(fd_dir, fd))
        except OSError:
            continue
        if target.startswith(directory + "/") and not target.endswith(".py"):
            return True
    return False


def start_big(outputs, tmpdir):
    """Starts BIG writing `outputs`; returns the process once its script has ended (the outputs
    are written next, trace first, then the summary, then the image)."""
    script = write("big.py", BIG)
    e = env()
    e["TMPDIR"] = tmpdir  # where a written-through output is staged
    args = [LOOPSCOPE, "run", script, "--virtual-time", *outputs]
    proc = subprocess.Popen(args, cwd=DIR, env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    if proc.stdout.readline() != "main done\n":
        proc.kill()
        fail("the script did not run")
    return proc


def finish(proc):
    out, err = proc.communicate(timeout=TIMEOUT)
    done = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    if proc.returncode != -signal.SIGTERM:
        fail(f"exit status {proc.returncode}, expected death by SIGTERM", done)
    if "Terminated while writing the outputs" not in err:
        fail("no word of the interrupted export", done)
    return done


def staged_left(tmpdir):
    """Files left in TMPDIR (not Qt's runtime directory, which it makes there when
    XDG_RUNTIME_DIR is unset)."""
    return [n for n in os.listdir(tmpdir) if not n.startswith("runtime-")]


def sigterm_during_trace_export():
    # SIGTERM while the trace (the first output) is being written to its temporary file: the
    # trace is finished and renamed into place, the summary and image after it are not started,
    # the process dies by SIGTERM. Never a partial file, never a temporary left behind.
    tmp = os.path.join(WORK, CASE + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    for n in ("trace.json", "s.json", "t.png"):
        write(n, "previous " + n)
    proc = start_big(["--trace", "trace.json", "--summary", "s.json", "--image", "t.png"], tmp)
    deadline = time.monotonic() + TIMEOUT
    while not writing(proc.pid, DIR) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.0005)
    if proc.poll() is not None:
        fail("the trace was written before a signal could be sent")
    proc.send_signal(signal.SIGTERM)
    done = finish(proc)
    expect_trace("trace.json", done)
    for n in ("s.json", "t.png"):
        if read(n) != ("previous " + n).encode():
            fail(f"{n} was started after the SIGTERM", done)
    if "complete: 'trace.json'" not in done.stderr:
        fail("the message does not say the trace is complete", done)
    expect_only(["big.py", "trace.json", "s.json", "t.png"], done)
    if staged_left(tmp):
        fail(f"left in TMPDIR: {staged_left(tmp)}", done)
    print(f"SIGTERM while the trace was written: {done.stderr.strip()}")


def sigterm_during_image_export():
    # The image goes to a FIFO (written through, not replaced: staged in TMPDIR, then copied in)
    # whose buffer is one page: loopscope blocks in the middle of the image until it is read, so
    # the SIGTERM lands inside that write every time. The image is finished, the process then
    # dies by SIGTERM; the trace before it is complete; nothing is left in TMPDIR.
    tmp = os.path.join(WORK, CASE + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    write("trace.json", "previous trace.json")
    fifo = os.path.join(DIR, "t.png")
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        fcntl.fcntl(reader, 1031, 4096)  # F_SETPIPE_SZ
        proc = start_big(["--trace", "trace.json", "--image", "t.png"], tmp)
        deadline = time.monotonic() + TIMEOUT
        while not select.select([reader], [], [], 0.1)[0]:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                fail("the image never reached the FIFO")
        proc.send_signal(signal.SIGTERM)
        # The rest in large gulps: a page at a time is a thousand scheduler round trips.
        fcntl.fcntl(reader, 1031, 1 << 20)
        image = b""
        while True:
            select.select([reader], [], [], 1.0)
            try:
                chunk = os.read(reader, 1 << 16)
            except BlockingIOError:
                if proc.poll() is not None and time.monotonic() > deadline:
                    break
                continue
            if not chunk:
                break  # the writer closed it
            image += chunk
    finally:
        os.close(reader)
    done = finish(proc)
    if len(image) <= 4096:
        fail(f"the image ({len(image)} bytes) fits in the FIFO: the signal may have come after it",
             done)
    if not image.startswith(b"\x89PNG\r\n\x1a\n") or not image.endswith(b"IEND\xaeB`\x82"):
        fail(f"the FIFO did not get a complete PNG ({len(image)} bytes)", done)
    expect_trace("trace.json", done)
    if not stat.S_ISFIFO(os.stat(fifo).st_mode):
        fail("the FIFO was replaced", done)
    if "complete: 'trace.json', 't.png'" not in done.stderr:
        fail("the message does not say both outputs are complete", done)
    if staged_left(tmp):
        fail(f"left in TMPDIR: {staged_left(tmp)}", done)
    expect_only(["big.py", "trace.json", "t.png"], done)
    print(f"SIGTERM while the image ({len(image)} bytes) was written: {done.stderr.strip()}")


def storm(script, wait_for, before, after, cut_short=True):
    """Runs `script`, waits for the line `wait_for`, sends `before` SIGINTs, waits for the line
    `after` (if any), then sends the rest of 100 back to back. `cut_short`: the cleanup must not
    have finished (a second SIGINT ended it)."""
    proc = subprocess.Popen([LOOPSCOPE, "run", write("storm.py", script)], cwd=DIR, env=env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proc.stdout.readline() != wait_for + "\n":
        proc.kill()
        fail(f"the script did not print '{wait_for}'")
    for _ in range(before):
        proc.send_signal(signal.SIGINT)
    seen = wait_for + "\n"
    if after is not None:
        line = proc.stdout.readline()
        seen += line
        if line != after + "\n":
            proc.kill()
            fail(f"expected '{after}' after {before} SIGINT(s), got {line!r}")
    for _ in range(100 - before):
        proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        fail("still running 30 s after the storm (the cleanup's minute was not cut short)")
    done = subprocess.CompletedProcess(proc.args, proc.returncode, seen + out, err)
    if proc.returncode != -signal.SIGINT:
        fail(f"exit status {proc.returncode}, expected death by SIGINT", done)
    if err.count("KeyboardInterrupt") != 1 or not err.startswith("Traceback"):
        fail("expected exactly one KeyboardInterrupt traceback", done)
    for bad in ("Segmentation", "Aborted", "terminate called", "Sanitizer"):
        if bad in err:
            fail(f"'{bad}' on stderr", done)
    if cut_short and "cleanup done" in out:
        fail("the cleanup finished: no SIGINT after the first one raised KeyboardInterrupt", done)
    return done


def sigint_storm():
    # 100 SIGINTs: no crash, no hang, one traceback, death by SIGINT as CPython's. Signals sent
    # back to back coalesce while one is pending (the kernel keeps one of a kind), so a storm is
    # 1 to 100 deliveries; each moment below is checked for whatever number arrives.
    #
    # While main runs: one delivery cancels main, whose 1 s cleanup ends the run with
    # KeyboardInterrupt (asyncio.run's rule for a main cancelled by SIGINT); two or more raise it
    # at once.
    storm(STORM.replace("CLEANUP = 60", "CLEANUP = 1"), "ready", 100, None, cut_short=False)
    print("100 while main runs: one traceback, death by SIGINT")
    # One SIGINT cancels main; 99 during its minute-long cleanup: the first of them to arrive
    # raises KeyboardInterrupt at once (the minute would time the test out), the rest arrive
    # during or after asyncio.run's shutdown.
    done = storm(STORM, "ready", 1, "main cancelled")
    print("1, then 99 during main's cleanup: " + done.stderr.strip().splitlines()[-1])


def sigint_storm_during_shutdown():
    # 100 SIGINTs during asyncio.run's shutdown, while a cancelled task's minute-long cleanup
    # holds it up: the first to arrive stops the shutdown's wait, and asyncio.run raises
    # KeyboardInterrupt (CPython: the signal's KeyboardInterrupt propagates out of close()).
    done = storm(STORM_SHUTDOWN, "worker cancelled", 0, None)
    print("100 during the shutdown: " + done.stderr.strip().splitlines()[-1])


def first_line_within(cmd, seconds):
    """Starts `cmd` with stdout to a pipe; returns the first line it writes within `seconds` (None:
    nothing came), then kills it."""
    proc = subprocess.Popen(cmd, cwd=DIR, env=env(), stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    try:
        line = b""
        deadline = time.monotonic() + seconds
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([proc.stdout], [], [], left)[0]:
                return None
            chunk = os.read(proc.stdout.fileno(), 1)
            if not chunk:
                return None
            line += chunk
        return line.decode()
    finally:
        proc.kill()
        proc.wait()


def interrupted(cmd):
    """Runs `cmd`, sends one SIGINT 0.2 s after its "ready" line, returns (status, stdout,
    stderr without CPython 3.11+'s caret lines, which loopscope does not print)."""
    proc = subprocess.Popen(cmd, cwd=DIR, env=env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    first = proc.stdout.readline()
    if first != "ready\n":
        proc.kill()
        fail(f"{cmd}: did not print 'ready' (got {first!r})")
    time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        fail(f"{cmd}: still running 30 s after the SIGINT")
    err = "".join(l for l in err.splitlines(keepends=True) if l.strip(" ^~\n") != "")
    return proc.returncode, first + out, err


def sigint_outside_asyncio_run():
    # A Ctrl-C where no asyncio.run handles SIGINT: the same output, traceback and exit status as
    # CPython's (run here on the same file): a plain KeyboardInterrupt, raised once, on the
    # line CPython names (a `while` loop's own line for a busy loop); uncaught, death by SIGINT.
    for what, script in OUTSIDE.items():
        path = write("outside.py", script)
        want = interrupted([sys.executable, path])
        got = interrupted([LOOPSCOPE, "run", path])
        if got != want:
            fail(f"{what}: loopscope gave\n  status {got[0]}\n  stdout {got[1]!r}\n  stderr:\n{got[2]}"
                 f"CPython ({sys.executable}) gave\n  status {want[0]}\n  stdout {want[1]!r}\n"
                 f"  stderr:\n{want[2]}")
        print(f"{what}: status {got[0]}, as CPython; stderr:\n{got[2]}")


def print_flush_reaches_pipe():
    # print(..., flush=True) while stdout is a pipe: the line reaches the reader at once, long
    # before the script ends (it sleeps a minute), as with CPython, checked here first.
    for what, script in FLUSHED.items():
        path = write("flush.py", script)
        for name, cmd in (("CPython", [sys.executable, path]),
                          ("loopscope", [LOOPSCOPE, "run", path])):
            line = first_line_within(cmd, 15)
            if line != "flushed\n":
                fail(f"{what}: {name}'s reader got {line!r} within 15 s, expected 'flushed\\n'")
        print(f"{what}: the reader got the line at once, as from CPython")


CASES = {
    "export_full": export_full,
    "export_readonly": export_readonly,
    "export_to_device": export_to_device,
    "sigterm_during_trace_export": sigterm_during_trace_export,
    "sigterm_during_image_export": sigterm_during_image_export,
    "sigint_storm": sigint_storm,
    "sigint_storm_during_shutdown": sigint_storm_during_shutdown,
    "print_flush_reaches_pipe": print_flush_reaches_pipe,
    "sigint_outside_asyncio_run": sigint_outside_asyncio_run,
}

if CASE not in CASES:
    fail("unknown case")
shutil.rmtree(DIR, ignore_errors=True)
os.makedirs(DIR)
CASES[CASE]()
