# SPDX-License-Identifier: GPL-3.0-or-later
# Comparison chains (evaluated once, short-circuited), and/or returning one of their operands,
# not, in/not in on str/list/dict/set/range, is/is not with None and identities, conditional
# expressions (nested), the walrus operator, operator precedence, short-circuit side effects.


def noisy(value, label):
    print("  eval", label)
    return value


print(1 < 2 < 3, 1 < 3 < 2, 3 > 2 >= 2 != 1, 1 == 1.0 == True, "a" < "b" < "c")
print("chain:", noisy(1, "a") < noisy(5, "b") < noisy(3, "c") < noisy(9, "d"))
print(0 or "default", "" or [] or None, 5 or 1 / 0, [] and 1 / 0, 3 and "last", 0 and 1)
print(None or {} or "x", 1 and 2 and 3, 1 and 0 and 3, not None, not [1], not not "s")
print("short and:", noisy(False, "left") and noisy(True, "right"))
print("short or:", noisy("yes", "left") or noisy(True, "right"))
print("ell" in "hello", 2 in [1, 2], 3 not in (1, 2), "k" in {"k": 1}, 1 in {"k": 1}, 4 in range(2, 8, 2))
x = None
lst = [1]
alias = lst
print(x is None, x is not None, lst is alias, lst is [1], lst == [1], type(x) is type(None))
for n in [-2, 0, 7, 15]:
    label = "neg" if n < 0 else "zero" if n == 0 else "small" if n < 10 else "big"
    print(n, label)
print("even" if 4 % 2 == 0 else "odd", ("a" if False else "b") + "!")
data = [5, 12, 7, 30]
if (count := len(data)) > 3:
    print("walrus count", count)
print([y for v in data if (y := v * 2) > 20], y)
print(2 + 3 * 4 ** 2 // 5 - 1, (2 + 3) * 4, -3 ** 2, not 1 == 2, 1 + 2 == 3 and 2 < 1 or "fallback")
print(True + 1, True == 1, False * 10, 1 if [] else 2, [] == False, None == False)
print(10 < 20 and "both" or "neither", 2 * 3 > 5 > 4)
print(max(3, 7) if 3 != 7 else None, min([4, 2, 8]) in data, abs(-3) == 3 or "unreachable")
