# SPDX-License-Identifier: GPL-3.0-or-later
# Integer and float arithmetic within the 64-bit range: + - * / // % ** on negatives and floats,
# divmod, int/float mixing, float repr (shortest round-trip), large ints near 2**63 (computed within 64 bits: loopscope ints are 64-bit), hex/octal/
# binary/underscore literals, unary operators, bitwise operators, float specials via float().

print(7 + 3, 7 - 10, 6 * -7, 7 / 2, 8 / 4, -7 / 2)
print(7 // 2, -7 // 2, 7 // -2, -7 // -2)
print(7 % 3, -7 % 3, 7 % -3, -7 % -3)
print(7.5 // 2, -7.5 // 2, 7.5 % 2, -7.5 % 2, 5 % 2.5)
print(2 ** 10, 2 ** -1, (-2) ** 3, -2 ** 2, 2 ** 0.5, 4 ** 0.5, 10 ** 18)
print(divmod(17, 5), divmod(-17, 5), divmod(17.5, 5))
print(0.1 + 0.2, 1 / 3, 2 / 3, 1e16, 1e-5, 1.5e300 * 10, 123456789.0, 0.1 * 3)
print(1.0, 100.0, -0.0, 3.0 * 2, 1e15, 1e22, 12345678901234567.0)
print(2 ** 62, 2 ** 62 - 1 + 2 ** 62, -(2 ** 62) - 2 ** 62, 9223372036854775807 // 7)
print(0xFF, 0o17, 0b1011, 1_000_000, 0x_dead_beef)
print(-(-5), +5, ~5, ~-1, not 0)
print(6 & 3, 6 | 3, 6 ^ 3, 1 << 10, 1024 >> 3, -16 >> 2)
print(1 + 2.0, 3 * 1.5, 10 - 0.5, 2 * True, True + True)
print(float("inf"), -float("inf"), float("inf") > 10 ** 18, float("nan") == float("nan"))
print(int(7.9), int(-7.9), round(7.5), round(-7.5), float(7), int("-42"), int("0x1F", 16))
print(3 == 3.0, 0.1 + 0.2 == 0.3, abs(0.1 + 0.2 - 0.3) < 1e-9)
print(type(7 / 7).__name__, type(7 // 7).__name__, type(2 ** -1).__name__, type(7.0 // 2).__name__)
print(max(1, 2.5), min(-1, -1.5), sum([0.1] * 10), sum([1, 2, 3]) / 3)
print(10 / 4 * 2, 10 - 2 - 3, 2 ** 3 ** 2, (2 ** 3) ** 2, 100 // 7 % 3)
x = 5
x **= 2
x //= 3
print(x, x % 4, -x % 4)
print(f"{1e100}", 1.23456789012345678, 0.000123, 1234.5e-2)
