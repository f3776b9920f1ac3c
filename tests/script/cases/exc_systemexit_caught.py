# SPDX-License-Identifier: GPL-3.0-or-later
# SystemExit and KeyboardInterrupt caught by the script: SystemExit.code for sys.exit(),
# sys.exit(0), sys.exit(None), sys.exit(5), sys.exit("text"); `except Exception` does not catch
# them; raising KeyboardInterrupt by hand; a final sys.exit(0) gives status 0 after output.
import sys

for arg in [(), (0,), (None,), (5,), ("text",)]:
    try:
        sys.exit(*arg)
    except SystemExit as e:
        print("sys.exit", arg, "-> code", repr(e.code))

try:
    try:
        sys.exit(2)
    except Exception:
        print("not printed: SystemExit is not an Exception")
except SystemExit as e:
    print("outer handler got code", e.code)

try:
    raise KeyboardInterrupt
except KeyboardInterrupt as e:
    print("KeyboardInterrupt caught:", repr(e), isinstance(e, Exception))

try:
    raise SystemExit(7)
except BaseException as e:
    print("raise SystemExit(7) ->", type(e).__name__, e.code)

print("exiting with 0")
sys.exit(0)
