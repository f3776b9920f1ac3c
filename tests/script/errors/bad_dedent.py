# SPDX-License-Identifier: GPL-3.0-or-later
# An IndentationError: a dedent to a column that matches no outer block (line 7).
print("not printed")
if True:
        a = 1
        b = 2
    c = 3
