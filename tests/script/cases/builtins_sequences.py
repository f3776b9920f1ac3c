# SPDX-License-Identifier: GPL-3.0-or-later
# Builtins over sequences: len, range (1, 2 and 3 arguments, negative step, empty, repr, in,
# indexing), enumerate (with start), zip (uneven lengths, three iterables, unzip), sum (with
# start), min/max (several args, iterable, key, default, ties), sorted (key, reverse,
# stability), reversed, any/all, map/filter, iter/next (with default).

print(list(range(5)), list(range(2, 6)), list(range(0, 10, 3)), list(range(10, 0, -3)), list(range(5, 5)))
print(range(5), range(1, 10, 2), len(range(0, 100, 7)), 14 in range(0, 100, 7), range(3)[-1])
print(list(range(-5, -10, -2)), list(range(3, -3, -1)), sum(range(101)))
for i, ch in enumerate("abc"):
    print(i, ch, end="; ")
print()
print(list(enumerate(["x", "y"], start=1)), list(enumerate("ab", 10)))
print(list(zip([1, 2, 3], "abcd")), list(zip("ab", (True, False), [None, 0])), list(zip()))
pairs = [("a", 1), ("b", 2)]
letters, numbers = zip(*pairs)
print(letters, numbers)
print(sum([1, 2, 3]), sum([1.5, 2.5]), sum([[1], [2]], []), sum([], 10), sum(range(4), start=100))
print(min(3, 1, 2), max([4, 9, 2]), min("hello"), max("apple", "pear", key=len), min([], default="empty"))
print(max([(1, "a"), (3, "b"), (3, "c")]), min([5, 3, 3.0]), max([3.0, 3]), max({"a": 3, "b": 9}.values()))
scores = {"ann": 7, "bob": 9, "cid": 9}
print(max(scores, key=scores.get), min(scores, key=lambda k: (scores[k], k)), max([], key=len, default=None))
print(sorted([3, 1, 2]), sorted("bca"), sorted([3, 1, 2], reverse=True), sorted({"b": 1, "a": 2}))
print(sorted(["bb", "a", "cc", "d"], key=len), sorted(["bb", "a", "cc", "d"], key=len, reverse=True))
print(list(reversed([1, 2, 3])), "".join(reversed("abc")), list(reversed(range(3))))
print(any([0, "", None]), any([0, 1]), all([1, "x"]), all([1, 0]), any([]), all([]))
print(list(map(str, [1, 2])), list(map(lambda a, b: a * b, [1, 2], [3, 4])), list(filter(None, [0, 1, "", "a"])))
print(list(filter(lambda n: n % 2, range(6))))
it = iter([10, 20])
print(next(it), next(it), next(it, "exhausted"), next(iter(""), None))
try:
    next(it)
except StopIteration as e:
    print("StopIteration", repr(e))
print(len("four"), len([1, 2]), len({}), len(range(10, 0, -2)), len(b"xyz"))
