# SPDX-License-Identifier: GPL-3.0-or-later
# An IndentationError (a SyntaxError subclass): an unexpected indent on line 8.
print("not printed")


def f():
    return 1
        x = 2
