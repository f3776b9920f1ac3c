# SPDX-License-Identifier: GPL-3.0-or-later
# list methods: append, extend (any iterable), insert (incl. past the end and negative), pop
# (default, index, from empty -> IndexError), remove (ValueError), index (with start),
# count, sort (key, reverse, stability), sorted vs sort returning None, reverse, copy, clear,
# slice assignment, +=, *, in, list as a stack and as a queue.

items = [3, 1, 2]
items.append(4)
items.extend([5, 6])
items.extend(range(7, 9))
items.extend("ab")
print(items)
items.insert(0, "first")
items.insert(-1, "before last")
items.insert(100, "end")
print(items)
print(items.pop(), items.pop(0), items.pop(-2), items)
items.remove("a")
print(items, items.index(2), items.index(8), items.count(1), [1, 2, 1, 1].count(1))
for bad in [lambda: items.remove("zzz"), lambda: [].pop(), lambda: items.index(99)]:
    try:
        bad()
    except (ValueError, IndexError) as e:
        print(type(e).__name__ + ":", e)
nums = [5, 2, 9, 1, 5, 6]
print(nums.sort(), nums)
nums.sort(reverse=True)
print(nums)
words = ["banana", "Apple", "cherry", "date", "Fig", "elder"]
print(sorted(words), sorted(words, key=str.lower), sorted(words, key=len), sorted(words, key=len, reverse=True))
records = [("b", 2), ("a", 2), ("c", 1), ("d", 3)]
records.sort(key=lambda r: r[1])
print(records)
records.reverse()
print(records)
copy = records.copy()
copy.clear()
print(copy, len(records))
stack = []
stack.append("x")
stack.append("y")
print(stack.pop(), stack)
queue = ["a", "b", "c"]
print(queue.pop(0), queue)
grid = [[0] * 2 for _ in range(2)]
grid[1][0] = 7
print(grid, [1, 2] * 2, 3 in [1, 2, 3])
lst = [1, 2, 3]
lst[1:2] = [20, 21, 22]
lst[:0] = [0]
print(lst, lst[::-1], list(reversed(lst)), lst)
mixed = [[2, "b"], [1, "z"], [2, "a"]]
print(sorted(mixed), max(mixed), min(mixed, key=lambda m: m[1]))
