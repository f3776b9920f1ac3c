# SPDX-License-Identifier: GPL-3.0-or-later
# A SyntaxError: a string literal not closed before the end of line 4.
print("not printed")
message = "hello
print(message)
