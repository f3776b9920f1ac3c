# SPDX-License-Identifier: GPL-3.0-or-later
# set methods: add, discard, remove (KeyError), pop of a one-element set, union/|,
# intersection/&, difference/-, symmetric_difference/^, issubset/<=, issuperset, isdisjoint,
# update, in, len, frozenset, sets of strs only printed sorted; tuple count, index, comparison,
# hashing tuples of ints, tuples as dict keys, namedtuple-free record tuples.

tags = {"async", "io"}
tags.add("loop")
tags.add("io")
tags.discard("missing")
tags.discard("io")
print(sorted(tags), len(tags), "loop" in tags, "io" in tags)
try:
    tags.remove("io")
except KeyError as e:
    print("KeyError:", e)
a = {1, 2, 3, 4}
b = {3, 4, 5}
print(sorted(a | b), sorted(a.union(b, [9])), sorted(a & b), sorted(a.intersection(b)))
print(sorted(a - b), sorted(a.difference(b)), sorted(b - a), sorted(a ^ b), sorted(a.symmetric_difference(b)))
print({1, 2} <= a, {1, 2}.issubset(a), a.issuperset({4}), a.isdisjoint({7, 8}), a < a, a <= a)
c = set()
c.update([1, 2], (3,))
c |= {4}
c -= {1}
c &= {2, 3, 4, 5}
print(sorted(c), {1}.pop(), set("hello") == set("olleh"), sorted(set("mississippi")))
f = frozenset([3, 1])
print(sorted(f), f == {1, 3}, type(f).__name__, len(f), {f: "frozen key"}[frozenset({1, 3})])
names = {"task-b", "task-a", "task-c"}
print(", ".join(sorted(names)), sorted(names, reverse=True))
t = (1, 2, 2, 3, 2)
print(t.count(2), t.index(3), t.index(2, 2), len(t), t[1:3], 2 in t)
try:
    t.index(9)
except ValueError as e:
    print("ValueError:", e)
print((1, 2) < (1, 3), (1, 2, 3) > (1, 2), (2,) > (1, 9, 9), ("a", 1) < ("a", 2), () < (0,))
print(hash((1, 2)) == hash((1, 2)), hash((1, 2)) == hash((2, 1)), hash(7), hash(-1), hash(2 ** 61))
print(hash((1, 2)), hash(()), hash((0,)), hash(True), hash(12345678901234))
grid = {(0, 0): "origin", (1, 2): "point"}
print(grid[(1, 2)], grid.get((5, 5), "empty"), sorted(grid))
point = (3, 4)
x, y = point
print(x, y, point + (5,), point * 2, tuple(sorted((3, 1, 2))), max([(1, "b"), (1, "a")]))
