# SPDX-License-Identifier: GPL-3.0-or-later
# dict methods: get (with default), items/keys/values (views, in insertion order), update (dict,
# pairs, keywords), setdefault, pop (with default, KeyError), popitem (LIFO, KeyError on empty),
# copy, in, len, iteration order after deletion and re-insertion, comprehensions, | and |=,
# dict(zip()), counting and grouping idioms, KeyError's str.

stock = {"apple": 3, "pear": 0}
stock["fig"] = 7
print(stock.get("apple"), stock.get("kiwi"), stock.get("kiwi", -1), stock["pear"])
print(list(stock.items()), list(stock.keys()), list(stock.values()))
print(stock.keys(), stock.values(), stock.items())
stock.update({"pear": 4, "plum": 1})
stock.update([("kiwi", 2)], grape=9)
print(stock)
print(stock.setdefault("apple", 100), stock.setdefault("lime", 5), stock)
print(stock.pop("plum"), stock.pop("nothing", "default"), stock)
print(stock.popitem(), stock.popitem(), stock)
try:
    stock.pop("nothing")
except KeyError as e:
    print("KeyError:", e, repr(e), e.args)
try:
    {}.popitem()
except KeyError as e:
    print("KeyError:", e)
try:
    stock["missing"]
except KeyError as e:
    print("KeyError str:", str(e), "| args[0]:", e.args[0])
snapshot = stock.copy()
snapshot["apple"] = 0
print(stock["apple"], snapshot["apple"], "apple" in stock, 3 in stock, "fig" not in stock, len(stock))
del stock["apple"]
stock["apple"] = 1
print(list(stock))
for key, value in stock.items():
    print(f"  {key}: {value}")
print({k: v * 10 for k, v in stock.items() if v > 2})
print(stock | {"new": 1}, {"a": 1} | {"a": 2, "b": 3})
merged = {"x": 1}
merged |= {"y": 2}
print(merged, dict(zip("abc", range(3))), dict.fromkeys(["p", "q"], 0))
counts = {}
for word in "the loop the task the end".split():
    counts[word] = counts.get(word, 0) + 1
print(counts, max(counts, key=counts.get), sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
groups = {}
for n in range(10):
    groups.setdefault("even" if n % 2 == 0 else "odd", []).append(n)
print(groups)
print({1: "a"} == {1: "a"}, {"a": 1, "b": 2} == {"b": 2, "a": 1}, list({"b": 1, "a": 2}))
