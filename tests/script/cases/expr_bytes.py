# SPDX-License-Identifier: GPL-3.0-or-later
# bytes: literals and their repr (printable ASCII, \n \t \\ \', \xNN for the rest, quote choice),
# len, indexing (an int), slicing (bytes), iteration, +, *, in, ==, comparisons, decode,
# str.encode (UTF-8), split, strip, startswith/endswith, find, replace, upper, hex/fromhex,
# bytes(list), bytes(n), list(bytes), join, a bytes in an f-string.

data = b"GET /index.html HTTP/1.1\r\n"
print(data)
print(repr(b"it's"), b'say "hi"', b"both ' and \"", b"\x00\x7f\x80\xff", b"\t\n\\")
print(b"", bytes(3), bytes([104, 105]), b"caf\xc3\xa9")
print(len(data), data[0], data[-1], type(data[0]).__name__, data[:3], data[4:15])
print(data.startswith(b"GET"), data.endswith(b"\r\n"), data.startswith((b"POST", b"GET")))
print(data.split(), data.strip().split(b" ", 1), b"a,b,,c".split(b","))
print(data.find(b"HTTP"), data.find(b"nope"), b"index" in data, b"x" not in data)
print(data.decode(), end="")
print(data.decode("ascii").strip(), b"caf\xc3\xa9".decode("utf-8"), b"caf\xc3\xa9".decode())
print("héllo".encode(), "héllo".encode("utf-8"), "abc".encode("ascii"), len("héllo".encode()))
print(b"ab" + b"cd", b"-" * 5, b"abc" == b"abc", b"abc" < b"abd", b"abc" == "abc")
print(list(b"AZ"), [b for b in b"hi"], b"hello".upper(), b"a-b".replace(b"-", b"+"))
print(b"\xde\xad\xbe\xef".hex(), bytes.fromhex("48 69"), b", ".join([b"x", b"y", b"z"]))
print(b"line1\nline2\n".splitlines(), b"  pad  ".strip(), b"key: value".partition(b": "))
print(f"{b'xyz'}", f"{b'xyz'!r}", str(b"q"), repr(b"q"))
try:
    b"\xff".decode()
except UnicodeDecodeError as e:
    print(type(e).__name__, isinstance(e, ValueError))
try:
    data[100]
except IndexError as e:
    print("IndexError:", e)
