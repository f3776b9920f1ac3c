# SPDX-License-Identifier: GPL-3.0-or-later
# sys.exit("message") from a nested call: the message goes to stderr and the exit status is 1;
# finally blocks on the way out still run; prints to stderr before it do not reach stdout.
import sys


def check(settings):
    for key in ("host", "port"):
        if key not in settings:
            shutdown(f"{key} missing")
        print("found", key)


def shutdown(reason):
    print("shutting down:", reason)
    sys.exit(f"fatal: {reason}")


try:
    print("checking settings", file=sys.stderr)
    check({"host": "localhost"})
finally:
    print("finally before exit")
print("never printed")
