# SPDX-License-Identifier: GPL-3.0-or-later
# Literals and reprs of list, tuple (incl. () and (1,)), dict, set (only of small ints, or
# sorted), nested containers, True/False/None; equality and identity of containers; truthiness;
# copying vs aliasing; containers holding functions' results; dict keys of mixed types.

print([], (), {}, set(), [1, "two", 3.0, None, True], (1,), (1, 2))
print({"a": 1, "b": [1, 2], "c": {"d": (3, 4)}}, {1: "one", (2, 3): "pair", None: False})
print({3, 1, 2}, {1, 1, 1}, sorted({"b", "a", "c"}), len({"x", "y", "x"}))
print([[1, 2], [3, [4, [5]]]], [(), [], {}], ("a", ("b", ("c",))))
print(True, False, None, [True, False, None], repr(None), str(False))
print([1, 2] == [1, 2], [1, 2] is [1, 2], (1, 2) == (1, 2), [1, 2] == (1, 2), {1: 2} == {1: 2})
print(bool([]), bool([0]), bool(()), bool({}), bool({0: 0}), bool(set()), bool(""), bool(" "))
a = [1, [2, 3]]
b = a
c = a.copy()
d = list(a)
a.append(4)
a[1].append(99)
print(a, b, c, d, b is a, c is a, c[1] is a[1])
nested = [[0] * 3 for _ in range(2)]
nested[0][0] = 1
shared = [[0] * 3] * 2
shared[0][0] = 1
print(nested, shared)
print(len([1, 2, 3]), len((1,)), len({"k": 1}), len({1, 2}), len(""))
mixed = {1: "int", 1.5: "float", "1": "str", (1,): "tuple", True: "bool overrides 1"}
print(mixed)
print([1, 2, 3] + [4], (1, 2) + (3,), [0] * 4, ("ab",) * 2)
print([1, 2, 3] < [1, 3], (1, 2, 3) > (1, 2), [2] > [1, 9, 9])
print(list((1, 2)), tuple([1, 2]), dict([("a", 1), ("b", 2)]), sorted(set([3, 1, 3])))
print(dict(a=1, b=2), list({"k1": 1, "k2": 2}), list(range(3)), tuple("ab"))
