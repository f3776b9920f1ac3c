# SPDX-License-Identifier: GPL-3.0-or-later
# Assignment, chained assignment, tuple and nested unpacking, starred unpacking, swapping,
# unpacking in for targets, attribute and subscript targets, augmented assignment on numbers,
# strings, lists (in place: aliases see it), tuples (rebinding) and bits.

a = b = 5
x, y = 1, 2
x, y = y, x
print(a, b, x, y)
(p, q), r = (1, 2), 3
print(p, q, r)
first, *middle, last = range(6)
print(first, middle, last)
*init, tail = "abc"
print(init, tail)
head, *rest = [1]
print(head, rest)
for i, (k, v) in enumerate({"one": 1, "two": 2}.items()):
    print(i, k, v)


class Box:
    pass


box = Box()
box.value = grid = [[0, 0], [0, 0]]
grid[1][0] = box.count = 7
box.value[0][1], box.extra = "x", "y"
d = {}
d["k"], d["j"] = divmod(17, 5)
print(box.value, box.count, box.extra, d)

n = 10
n += 5
n -= 3
n *= 2
n //= 5
n **= 3
n %= 50
print("n =", n)
f = 7
f /= 2
print("f =", f)
s = "ab"
s += "cd"
s *= 2
print(s)
items = [1]
alias = items
items += [2, 3]
print(items, alias, items is alias)
t = (1,)
t2 = t
t += (2,)
print(t, t2)
bits = 0b1100
bits |= 0b0011
bits &= 0b1010
bits ^= 0b1111
bits <<= 2
bits >>= 1
print("bits", bits)
