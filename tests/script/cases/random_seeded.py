# SPDX-License-Identifier: GPL-3.0-or-later
# The random module seeded with random.seed(42): CPython's Mersenne Twister outputs must match
# exactly: random(), randint, randrange, choice, shuffle, uniform, sample; re-seeding repeats the
# sequence; seed(0) and seed(2**40) give other streams; a random.Random instance is independent.
import random

random.seed(42)
print([random.random() for _ in range(3)])
print([random.randint(1, 6) for _ in range(10)])
print([random.randrange(10) for _ in range(5)], random.randrange(0, 100, 5), random.randrange(-10, 10))
print(random.choice(["alpha", "beta", "gamma", "delta"]), random.choice("xyz"), random.choice(range(1000)))
deck = list(range(10))
random.shuffle(deck)
print(deck)
print(random.uniform(1, 10), random.uniform(-0.5, 0.5))
print(random.sample(range(100), 5), random.sample(["a", "b", "c", "d"], 2))
print(random.randint(0, 2 ** 40), random.randint(-(2 ** 62), 2 ** 62))
random.seed(42)
print("re-seeded:", random.random())
random.seed(0)
print("seed 0:", random.random(), random.randint(1, 100))
random.seed(2 ** 40)
print("seed 2**40:", random.random())
rng = random.Random(7)
random.seed(42)
print("instance:", rng.random(), rng.randint(1, 3), "| module stream unaffected:", random.random())
delays = [round(random.uniform(0.01, 0.05), 3) for _ in range(4)]
print("jittered delays:", delays)
