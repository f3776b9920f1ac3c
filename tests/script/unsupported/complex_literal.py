# SPDX-License-Identifier: GPL-3.0-or-later
# Valid Python outside loopscope's subset: complex numbers (an imaginary literal, line 5).
print("computing")
real = 3
z = real + 4j
print(abs(z), z.real, z.imag, z * z.conjugate())
