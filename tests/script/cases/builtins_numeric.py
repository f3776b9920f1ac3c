# SPDX-License-Identifier: GPL-3.0-or-later
# Numeric builtins: abs, round (ties to even, ndigits positive/zero/negative, floats that are
# not exactly representable), divmod, pow (with modulus), int() of strings/floats/bools with
# bases and whitespace, float() of strings, bool(), hash of ints and tuples of ints, min/max
# mixing int and float, ValueError messages from int()/float().

print(abs(-5), abs(5), abs(-2.5), abs(0), abs(-0.0), abs(True))
print(round(0.5), round(1.5), round(2.5), round(-0.5), round(-1.5), round(3.7), round(-3.7))
print(round(2.675, 2), round(1.005, 2), round(0.125, 2), round(0.375, 2), round(3.14159, 3))
print(round(1234.5678, -2), round(1250, -2), round(1350, -2), round(-1250, -2), round(7, 0), round(7.0, 0))
print(type(round(2.5)).__name__, type(round(2.5, 0)).__name__, type(round(7, 1)).__name__)
print(round(0.1 + 0.2, 1), round(2 / 3, 4), round(1e-10, 3), round(123.456))
print(divmod(7, 2), divmod(-7, 2), divmod(7.5, -2), pow(2, 10), pow(2, 10, 1000), pow(3, -1, 7), pow(2.0, 3))
print(int("42"), int(" -17 "), int("+5"), int("1_000"), int("ff", 16), int("0b101", 0), int("z", 36), int("0o17", 8))
print(int(3.99), int(-3.99), int(True), int(1e18), float("3.5"), float(" -2 "), float("1e-3"), float(7), float("inf"))
print(bool(0), bool(0.0), bool(-1), bool("False"), bool(None), bool([None]), True + True, True * 3.5)
print(hash(0), hash(1), hash(-1), hash(-2), hash(2 ** 61 - 1), hash(2 ** 61), hash(10 ** 18), hash(1.0) == hash(1))
print(hash((1, 2, 3)), hash((-1, 0)), hash(((1, 2), (3,))))
print(max(1, 1.0), max(1.0, 1), min(0, -0.0), max(-1, -1.5, key=abs))
for text in ["x", "3.5", "", "12abc"]:
    try:
        int(text)
    except ValueError as e:
        print("ValueError:", e)
try:
    float("abc")
except ValueError as e:
    print("ValueError:", e)
print(int("7") + float("0.5"), str(7) + str(0.5), 10 ** 6 == 1e6, 2 ** 53 + 1 == float(2 ** 53 + 1))
print(0.1 + 0.7, 1.1 * 3, 3.3 / 1.1, 1e308 * 10, -1e308 * 10, 5e-324 / 2)
