# SPDX-License-Identifier: GPL-3.0-or-later
# List, dict and set comprehensions (with if, nested for, nested comprehensions, tuple targets,
# a conditional expression in the element), generator expressions passed to sum/any/all/max/min/
# sorted/str.join/list/tuple/dict, the comprehension variable not leaking, early exit of any().

nums = list(range(10))
print([n * n for n in nums if n % 2 == 0])
print([(x, y) for x in range(3) for y in range(x)])
print([[r * c for c in range(1, 4)] for r in range(1, 4)])
print([n if n % 3 else "fizz" for n in range(1, 7)])
print({n: n ** 2 for n in range(5)}, {k: v for k, v in [("a", 1), ("b", 2)] if v > 1})
print(sorted({w[0] for w in ["apple", "avocado", "banana", "cherry"]}), {n % 3 for n in nums})
words = ["loop", "task", "future", "io"]
print({w: len(w) for w in words}, {len(w): w for w in words})
print(sum(n for n in nums), sum(n * 2 for n in nums if n > 5), sum((n for n in nums), 100))
print(any(n > 8 for n in nums), all(n >= 0 for n in nums), any(x for x in []), all([]))
print(max(len(w) for w in words), min((len(w), w) for w in words), max(words, key=len))
print(sorted((w for w in words), key=len, reverse=True), sorted(n % 4 for n in nums))
print(", ".join(w.upper() for w in words), "-".join(str(n) for n in range(5)))
print(list(c for c in "abc"), tuple(n for n in range(3)), dict((w, i) for i, w in enumerate(words)))
matrix = [[1, 2, 3], [4, 5, 6]]
print([row[i] for row in matrix for i in range(len(row)) if i != 1])
print([[row[i] for row in matrix] for i in range(3)])
print([n for row in matrix for n in row if n % 2])
x = "outer"
squares = [x * 2 for x in range(3)]
print(x, squares)
checked = []


def check(n):
    checked.append(n)
    return n > 2


print(any(check(n) for n in range(10)), checked)
gen = (n * 10 for n in range(3))
print(type(gen).__name__, list(gen), list(gen))
pairs = [(name, score) for name, score in zip(["a", "b", "c"], [3, 1, 2])]
print(sorted(pairs, key=lambda p: p[1]), [p for p, _ in pairs])
