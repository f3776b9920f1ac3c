# SPDX-License-Identifier: GPL-3.0-or-later
# if/elif/else, while, for, break, continue, pass, for-else and while-else (with and without a
# break), nested loops, loops over strings, dicts and ranges.

for n in [-5, 0, 3, 12]:
    if n < 0:
        kind = "negative"
    elif n == 0:
        kind = "zero"
    elif n < 10:
        kind = "small"
    else:
        kind = "large"
    print(n, kind)

i = 0
total = 0
while i < 10:
    i += 1
    if i % 2 == 0:
        continue
    if i > 7:
        break
    total += i
print("while: i =", i, "total =", total)

for x in range(3):
    pass
print("after pass loop x =", x)

for x in [2, 4, 6]:
    if x % 2:
        print("found odd", x)
        break
else:
    print("for-else: no odd number")

for x in [2, 5, 6]:
    if x % 2:
        print("found odd", x)
        break
else:
    print("not printed")

n = 3
while n > 0:
    n -= 1
else:
    print("while-else ran, n =", n)

n = 3
while True:
    n -= 1
    if n == 1:
        break
else:
    print("not printed")
print("while True ended at", n)

for row in range(3):
    line = []
    for col in range(3):
        if col > row:
            break
        line.append(f"{row}{col}")
    print(" ".join(line))

for ch in "abc":
    print(ch, end=";")
print()
for key in {"x": 1, "y": 2}:
    print("key", key)
if []:
    print("empty list is true")
elif not {}:
    print("empty dict is false")
if 0 or "" or None:
    print("unreachable")
else:
    print("falsy values done")
