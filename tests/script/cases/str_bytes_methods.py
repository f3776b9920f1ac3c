# SPDX-License-Identifier: GPL-3.0-or-later
# Text/bytes round trips as network code does them: encode a message, frame it with a newline,
# split a buffer into lines, decode each, parse "key: value" headers, check prefixes, build a
# response with % and join, count bytes vs characters, strip the line ends, int() of bytes
# digits.

messages = ["hello", "héllo wörld", "bye"]
wire = b"".join(m.encode() + b"\n" for m in messages)
print(wire, len(wire), sum(len(m) for m in messages))
buffer = wire
while b"\n" in buffer:
    line, _, buffer = buffer.partition(b"\n")
    text = line.decode()
    print(len(line), len(text), repr(text), line.startswith(b"h"), text.endswith("d"))
print("left over:", buffer)
request = b"GET /status HTTP/1.0\r\nHost: localhost\r\nX-Count: 3\r\n\r\n"
head, _, body = request.partition(b"\r\n\r\n")
request_line, *header_lines = head.split(b"\r\n")
method, path, version = request_line.decode().split(" ")
headers = {}
for raw in header_lines:
    key, _, value = raw.decode("latin-1").partition(": ")
    headers[key.lower()] = value
print(method, path, version, headers, body)
count = int(headers["x-count"]) + int(b"39")
response = ("%s 200 OK\r\nContent-Length: %d\r\n\r\n" % (version, count)).encode("ascii")
print(response, response.endswith(b"\r\n\r\n"), response.count(b"\r\n"))
print(b"  data \r\n".rstrip(), b"abc".decode().upper().encode(), bytes("ok", "utf-8"))
print(b"a b c".split(b" ", 1), b"x".join([b"1", b"2"]), b"\x01\x02"[1], b"ab"[::-1])
print(list("héllo".encode())[:3], "€".encode(), len("€"), len("€".encode()))
