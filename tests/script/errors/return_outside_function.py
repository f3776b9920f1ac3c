# SPDX-License-Identifier: GPL-3.0-or-later
# A SyntaxError found after parsing: `return` at module level (line 5).
print("not printed")
for i in range(3):
    return i
