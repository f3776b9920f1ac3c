# SPDX-License-Identifier: GPL-3.0-or-later
# A SyntaxError: a parenthesis never closed. Nothing runs (the print below must not appear);
# the error names line 6, where the '(' opens.
print("not printed: the file does not compile")
total = 1
x = (1,
y = 2
