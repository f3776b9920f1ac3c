# SPDX-License-Identifier: GPL-3.0-or-later
# A SyntaxError: an if statement without its colon (line 5).
print("not printed")
x = 3
if x > 2
    print("big")
