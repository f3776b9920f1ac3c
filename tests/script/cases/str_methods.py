# SPDX-License-Identifier: GPL-3.0-or-later
# str methods, part 1: split (default, sep, maxsplit), rsplit, splitlines, join, strip/lstrip/
# rstrip (with and without chars), upper, lower, title, capitalize, swapcase, startswith/endswith
# (with tuples and start), replace (with count), find/rfind, index (ValueError), count.

line = "  INFO:loop: task finished  \n"
print(line.split(), line.strip().split(":"), "a,b,,c".split(","), "a b  c".split(" "))
print("k=v=w".split("=", 1), "k=v=w".rsplit("=", 1), "a.b.c.d".rsplit(".", 2), "".split(), "".split(","))
print("one\ntwo\r\nthree".splitlines(), "x\n".splitlines(), "  spaced   out  ".split(None, 1))
print("-".join(["a", "b", "c"]), "".join(["x", "y"]), ", ".join([]), " ".join("abc"))
print(repr(line.strip()), repr(line.lstrip()), repr(line.rstrip()), repr("xxhixx".strip("x")))
print("<>hello<>".strip("<>"), "www.example.com".lstrip("w."), "file.txt...".rstrip("."))
print("Hello World".upper(), "Hello World".lower(), "hello wORLD of io".title(), "hello".capitalize(), "AbC".swapcase())
print("they're bill's".title(), "ß".upper(), "ÉCOLE".lower())
name = "report.csv"
print(name.startswith("rep"), name.endswith((".txt", ".csv")), name.startswith(("x", "y")), name.startswith("port", 2), name.endswith(""))
print("aaa".replace("a", "b"), "aaa".replace("a", "b", 2), "abc".replace("", "-"), "abc".replace("x", "y"))
s = "the cat sat on the mat"
print(s.find("at"), s.find("at", 6), s.rfind("at"), s.find("dog"), s.index("sat"), s.count("at"), s.count("the"), s.count(""))
try:
    s.index("dog")
except ValueError as e:
    print("ValueError:", e)
print("a-b_c d".replace("-", " ").replace("_", " ").split())
csv = "name,age\nann,31\nbob,27"
rows = [r.split(",") for r in csv.splitlines()[1:]]
print(rows, {n: int(a) for n, a in rows})
print("Mississippi".lower().count("ss"), "banana".find("an", 2), "banana".rindex("a"))
