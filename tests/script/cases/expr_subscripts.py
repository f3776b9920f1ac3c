# SPDX-License-Identifier: GPL-3.0-or-later
# Subscripts and slices on lists, tuples, strings and ranges: negative indexes, steps (incl.
# negative), out-of-range slices, slice assignment (grow, shrink, extended slices), del with
# slices, nested subscripts, dict subscripts, attribute access chains, slice objects.

seq = list(range(10))
print(seq[0], seq[-1], seq[-3], seq[2:5], seq[:3], seq[7:], seq[-3:], seq[:-7])
print(seq[::2], seq[1::3], seq[::-1], seq[8:2:-2], seq[-1:-4:-1], seq[5:2], seq[100:], seq[-100:2])
text = "coroutine"
print(text[0], text[-4:], text[::-1], text[1:-1:2], text[:0] == "")
tup = (10, 20, 30, 40)
print(tup[1], tup[-1], tup[1:3], tup[::-2])
r = range(0, 20, 3)
print(r[2], r[-1], list(r[1:4]), len(r))
grid = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
print(grid[1][2], grid[-1][-1], grid[0][::-1], [row[1] for row in grid])
data = {"users": [{"name": "a", "tags": ["x", "y"]}, {"name": "b", "tags": []}]}
print(data["users"][0]["tags"][-1], data["users"][1]["name"], len(data["users"][1]["tags"]))
lst = [0, 1, 2, 3, 4, 5]
lst[1:3] = ["a", "b", "c"]
print(lst)
lst[:2] = []
print(lst)
lst[::2] = [None] * 3
print(lst)
lst[len(lst):] = [7, 8]
print(lst)
del lst[::3]
print(lst)
lst[0] = "first"
lst[-1] = "last"
print(lst)
s = slice(1, 4)
print(seq[s], "abcdef"[slice(None, None, 2)])
try:
    lst[::2] = [1]
except ValueError as e:
    print("ValueError:", e)


class Box:
    def __init__(self):
        self.inner = Inner()


class Inner:
    def __init__(self):
        self.values = {"k": [1, 2, 3]}

    def get(self):
        return self


box = Box()
print(box.inner.values["k"][1:], box.inner.get().get().values["k"][-1])
box.inner.values["k"][0] = 100
print(box.inner.values)
