# SPDX-License-Identifier: GPL-3.0-or-later
# An uncaught exception at module level: everything printed before it is still on stdout, the
# finally block runs, the traceback goes to stderr (not compared) and the exit status is 1.


class AppError(Exception):
    pass


def load(name):
    print("loading", name)
    if name == "bad":
        raise AppError(f"cannot load {name!r}")
    return name.upper()


print(load("good"))
try:
    print(load("bad"))
finally:
    print("finally runs before the interpreter exits")
print("never printed")
