# SPDX-License-Identifier: GPL-3.0-or-later
# String literals and escapes (\n \t \\ \' \" \x \u, octal), raw and triple-quoted strings,
# implicit concatenation, repr choosing quotes, non-ASCII text, len/indexing/slicing, * and +,
# in, comparisons, ord/chr, iteration, str() of numbers, multi-line strings.

print("tab:\t|", "newline:\nsecond line")
print('single \'quoted\'', "double \"quoted\"", "back\\slash")
print("\x41\x42\u00e9\u4e2d\101", len("\u00e9"))
print(r"raw \n stays", len(r"\n"), len("\n"))
print("""triple
quoted "with" 'quotes'""")
print('implicit ' "concatenation " 'works')
print(repr("it's"), repr('say "hi"'), repr("both ' and \""), repr("tab\tnew\n"))
print(repr("\x00\x07\x1b"), repr("é"), repr("\\"), repr(""))
word = "asyncio"
print(word[0], word[-1], word[2:5], word[::-1], word[::2], word[10:], len(word))
print("-" * 10, "ab" + "cd", "ab" * 0 == "", 3 * "x")
print("sync" in word, "x" not in word, "" in word)
print("apple" < "banana", "Zebra" < "apple", "abc" == "abc", "a" * 3 >= "aa")
print(ord("A"), chr(97), chr(0x263A), ord("é"))
print([c for c in "hey"], list("ab"), str(12), str(-3.5), str(True), str(None))
text = "line one\nline two\n"
print(text, end="")
print(text.count("\n"), "café", "naïve".upper(), "Straße".lower())
s = "hello"
s2 = s.replace("l", "L")
print(s, s2, s is not s2)
print("%d%%" % 50, "{}".format("braces"), "{{literal}}".format())
