# SPDX-License-Identifier: GPL-3.0-or-later
# sys and os basics that are stable across machines: sys.argv[0] is the script (a str ending in
# .py; not printed), sys.stdout/sys.stderr writes, sys.exit inside try/finally caught as
# SystemExit, os.getpid() consistency (never printed), os.kill with signal 0 (existence probe),
# signal.Signals values; sys.version_info at least 3.11.
import os
import signal
import sys

print("argv[0] is a .py path:", isinstance(sys.argv[0], str), sys.argv[0].endswith(".py"))
print("version_info >= (3, 11):", sys.version_info >= (3, 11), "| major:", sys.version_info[0])
pid = os.getpid()
print("pid is a positive int:", isinstance(pid, int), pid > 0, pid == os.getpid())
os.kill(pid, 0)
print("os.kill(pid, 0) succeeded")
print("signals:", [(s.name, int(s)) for s in (signal.SIGINT, signal.SIGTERM)], signal.SIGINT is signal.Signals.SIGINT)
written = sys.stdout.write("direct write\n")
sys.stdout.flush()
sys.stderr.write("to stderr\n")
print("wrote", written, "characters")
try:
    sys.exit(4)
except SystemExit as e:
    print("caught SystemExit", e.code)
finally:
    print("finally")
print("stdout is not stderr:", sys.stdout is not sys.stderr)
