# SPDX-License-Identifier: GPL-3.0-or-later
# print: several arguments, sep (incl. "" and None), end (incl. ""), flush=True, file=sys.stderr
# and file=sys.stdout (stderr is not compared but must not disturb stdout), print() alone, print
# of each basic type and of nested containers, sys.stdout.write and its return value.
import sys

print("a", "b", "c")
print("a", "b", "c", sep="")
print("a", "b", "c", sep=" | ")
print("a", "b", sep=None)
print("no newline", end="")
print(" <- continued", end="!\n")
print()
print("flushed", flush=True)
print("to stderr", file=sys.stderr)
print("to stderr, flushed", 42, file=sys.stderr, flush=True)
print("explicit stdout", file=sys.stdout)
print(1, 2.5, -3, True, None, "str", b"bytes", [1, "x"], (1,), {"k": [None]}, sep="\n")
print("multi\nline", "tab\tseparated")
print(*range(5), sep="-", end=".\n")
print("")
n = sys.stdout.write("written directly\n")
print("write returned", n)
sys.stderr.write("stderr write\n")
print("%s|%s" % ("end", "of output"), end="")
print()
for i in range(3):
    print(i, end=" " if i < 2 else "\n")
print("last line without newline", end="")
