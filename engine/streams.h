// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// TCP streams over the loop's fd watchers: asyncio's open_connection / start_server with
// StreamReader / StreamWriter (CPython 3.12, asyncio/streams.py + selector_events.py).
//
//     auto [reader, writer] = co_await open_connection("127.0.0.1", port);
//     writer.write("ping\n");
//     co_await writer.drain();
//     std::string line = co_await reader.readline();
//     writer.close();
//     co_await writer.wait_closed();
//
//     Server server = co_await start_server(
//         [](StreamReader r, StreamWriter w) -> Coro<void> { ... }, "127.0.0.1", 0);
//     std::uint16_t port = server.port();
//
// Protocol (the transport half of asyncio, folded into one object per socket): while a socket
// is open its fd has a reader watcher, and the watcher callback (on the loop thread) reads what
// the kernel has into the stream's buffer, as asyncio's _read_ready does. A read coroutine takes
// from that buffer and, when it needs more, suspends until the callback has appended something
// (asyncio's _wait_for_data), then looks again. So cancelling a read never loses bytes: they are
// in the buffer, and stay there for the next read. write() sends at once when nothing is
// queued and buffers the rest behind a writer watcher; drain() suspends while that buffer is above
// the high-water mark (64 KiB) until it falls to the low-water mark (16 KiB). Reading is paused
// (the reader watcher removed) while more than 2 × limit bytes sit unread, and resumed when a
// read needs more or the buffer falls to the limit.
//
// Every await here suspends the task with AwaitKind::IO and detail = the id of the socket (or
// server) it waits on; the id comes from Loop::register_object, which announces it with an
// ObjectCreated event labelled "socket 127.0.0.1:40312 -> 127.0.0.1:5000" (local -> peer) or
// "server 127.0.0.1:5000" while tracing is on. Every await is cancellable: the task wakes with
// CancelledError and the stream is left as it was.
//
// Bytes are std::string. All of this is loop-thread only, and every handle (StreamReader,
// StreamWriter, Server) must be gone before its Loop is destroyed.

#include "engine/coro.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace loopscope::engine {

class Loop;

// ---------------------------------------------------------------- errors

/// Python's OSError: an error reported by the operating system. what() reads
/// "[Errno 111] Connection refused (connect to 127.0.0.1:5000)".
class OSError : public std::runtime_error
{
public:
  /// `err` is the errno value (0 when there is none, e.g. a name-resolution failure).
  OSError(int err, const std::string& message);
  int error_code() const noexcept { return errno_; }

private:
  int errno_;
};
/// Python's ConnectionError and its subclasses, chosen by errno (see make_os_error).
class ConnectionError : public OSError
{
public:
  using OSError::OSError;
};
/// ECONNREFUSED: nothing listens at the address.
class ConnectionRefusedError : public ConnectionError
{
public:
  using ConnectionError::ConnectionError;
};
/// ECONNRESET: the peer reset the connection; also raised by drain() once the connection is lost.
class ConnectionResetError : public ConnectionError
{
public:
  using ConnectionError::ConnectionError;
};
/// ECONNABORTED.
class ConnectionAbortedError : public ConnectionError
{
public:
  using ConnectionError::ConnectionError;
};
/// EPIPE / ESHUTDOWN: writing to a connection the peer has closed.
class BrokenPipeError : public ConnectionError
{
public:
  using ConnectionError::ConnectionError;
};
/// The exception for errno `err`: ConnectionRefusedError, ConnectionResetError,
/// ConnectionAbortedError, BrokenPipeError, or OSError. `context` ends up in what().
std::exception_ptr make_os_error(int err, std::string_view context = {});

/// asyncio.IncompleteReadError: EOF came before readexactly(n) / readuntil(sep) was satisfied.
/// partial() holds the bytes that did arrive (they are consumed from the stream).
class IncompleteReadError : public std::runtime_error
{
public:
  /// `expected`: the byte count readexactly wanted; nullopt for readuntil (Python's None).
  IncompleteReadError(std::string partial, std::optional<std::size_t> expected);
  const std::string& partial() const noexcept { return partial_; }
  std::optional<std::size_t> expected() const noexcept { return expected_; }

private:
  std::string partial_;
  std::optional<std::size_t> expected_;
};

/// asyncio.LimitOverrunError: no separator within the stream's limit. consumed() is the number
/// of bytes to drop to get past the overrun (asyncio's `consumed`).
class LimitOverrunError : public std::runtime_error
{
public:
  LimitOverrunError(const std::string& message, std::size_t consumed);
  std::size_t consumed() const noexcept { return consumed_; }

private:
  std::size_t consumed_;
};

// ---------------------------------------------------------------- streams

/// asyncio's default stream limit (64 KiB): readline/readuntil refuse longer lines, and reading
/// pauses while twice this much is buffered.
inline constexpr std::size_t kStreamLimit = std::size_t{64} * 1024;
/// asyncio's write-buffer high-water mark: drain() waits while more than this is queued ...
inline constexpr std::size_t kWriteHighWater = std::size_t{64} * 1024;
/// ... until the queue falls to this (high / 4).
inline constexpr std::size_t kWriteLowWater = kWriteHighWater / 4;

/// A numeric host and a port, e.g. {"127.0.0.1", 5000} or {"::1", 5000}.
struct SocketAddress
{
  std::string host;
  std::uint16_t port = 0;
  /// "127.0.0.1:5000", "[::1]:5000".
  std::string to_string() const;
  bool operator==(const SocketAddress&) const = default;
};

namespace detail {
class Socket;
class ServerState;

/// Shared ownership of a Socket (intrusive count). When the last reference goes, a socket still
/// open is closed: gracefully (queued bytes are sent first) while its loop runs, at once if not.
class SocketRef
{
public:
  SocketRef() = default;
  explicit SocketRef(Socket* s) noexcept;
  SocketRef(const SocketRef& o) noexcept;
  SocketRef(SocketRef&& o) noexcept : s_(std::exchange(o.s_, nullptr)) {}
  SocketRef& operator=(SocketRef o) noexcept
  {
    std::swap(s_, o.s_);
    return *this;
  }
  ~SocketRef();
  Socket* get() const noexcept { return s_; }
  Socket* operator->() const noexcept { return s_; }
  explicit operator bool() const noexcept { return s_ != nullptr; }

private:
  Socket* s_ = nullptr;
};
}  // namespace detail

/// The read half of a TCP connection (asyncio.StreamReader). A cheap handle: copies share the
/// stream. Only one task may wait for data at a time (RuntimeError otherwise, as in asyncio).
///
/// Once the connection failed (reset by the peer, ...) every read throws that error, even if
/// bytes were still buffered (asyncio). EOF is not an error: read() and readline() then return
/// fewer bytes, or none.
class StreamReader
{
public:
  StreamReader() = default;
  explicit StreamReader(detail::SocketRef s) noexcept : s_(std::move(s)) {}

  /// Up to n bytes: whatever is buffered, else waits for the next arrival. Empty at EOF.
  /// n = -1 reads until EOF and returns everything; n = 0 returns "" at once.
  Coro<std::string> read(std::ptrdiff_t n = -1);
  /// Exactly n bytes. At EOF before that: IncompleteReadError with the partial bytes (consumed).
  Coro<std::string> readexactly(std::size_t n);
  /// One line, '\n' included. At EOF returns what is left (without '\n'; "" when nothing is).
  /// A line longer than the limit throws LimitOverrunError after dropping it from the buffer
  /// (up to and including its '\n' if that arrived, else the whole buffer). asyncio raises
  /// ValueError here; we keep the specific type.
  Coro<std::string> readline();
  /// Data up to and including `separator` (non-empty, else std::invalid_argument). At EOF:
  /// IncompleteReadError with what is left (consumed). No separator within the limit:
  /// LimitOverrunError, the data staying buffered.
  Coro<std::string> readuntil(std::string separator = "\n");
  /// EOF was received (or the stream closed) and the buffer is empty.
  bool at_eof() const noexcept;
  /// The connection error every read will throw, or null.
  std::exception_ptr exception() const noexcept;
  /// Bytes received and not yet read.
  std::size_t buffered() const noexcept;
  std::size_t limit() const noexcept;
  /// The socket's object id (Suspended.detail of a task waiting on it).
  std::uint32_t id() const noexcept;
  explicit operator bool() const noexcept { return static_cast<bool>(s_); }

private:
  detail::SocketRef s_;
};

/// The write half of a TCP connection (asyncio.StreamWriter together with its transport).
class StreamWriter
{
public:
  StreamWriter() = default;
  explicit StreamWriter(detail::SocketRef s) noexcept : s_(std::move(s)) {}

  /// Queues `data` and returns without blocking: sent at once if nothing is queued, the rest by
  /// the writer watcher. A send error closes the connection (reads and drain() then throw it).
  /// After write_eof(): RuntimeError. Once the stream is closing or lost, data is dropped
  /// silently (asyncio).
  void write(std::string_view data);
  /// Waits while the write buffer is above the high-water mark, until it falls to the low-water
  /// mark; returns at once otherwise. Throws the connection error if the connection failed, and
  /// ConnectionResetError("Connection lost") once the stream is closed.
  Coro<void> drain();
  /// Closes the stream: reading stops now; queued bytes are still sent, then the socket is
  /// closed. A read waiting meanwhile sees EOF once it is closed. Idempotent.
  void close();
  /// Waits until the socket is closed. Rethrows the connection error if it was lost to one
  /// (asyncio: the exception passed to connection_lost).
  Coro<void> wait_closed();
  /// close() or abort() was called, or the connection was lost.
  bool is_closing() const noexcept;
  /// Shuts the sending side down (SHUT_WR) once the queue is sent; reading goes on.
  void write_eof();
  bool can_write_eof() const noexcept { return true; }
  /// transport.abort(): closes at once, dropping queued bytes.
  void abort();
  /// Bytes queued and not yet accepted by the kernel.
  std::size_t write_buffer_size() const noexcept;
  /// transport.set_write_buffer_limits(high, low); low defaults to high / 4.
  void set_write_buffer_limits(std::size_t high, std::optional<std::size_t> low = std::nullopt);
  /// get_extra_info("sockname") / ("peername").
  SocketAddress local_address() const;
  SocketAddress peer_address() const;
  /// The socket's file descriptor (-1 once closed): for setsockopt. Do not close it or read it.
  int native_handle() const noexcept;
  std::uint32_t id() const noexcept;
  explicit operator bool() const noexcept { return static_cast<bool>(s_); }

private:
  detail::SocketRef s_;
};

/// open_connection's result: `auto [reader, writer] = co_await open_connection(...)`.
using StreamPair = std::pair<StreamReader, StreamWriter>;

/// asyncio.open_connection(host, port): resolves `host` (numeric at once; a name through a
/// blocking getaddrinfo), then connects to each address in turn without blocking (EINPROGRESS →
/// waits until writable → SO_ERROR). Throws the connect error (ConnectionRefusedError, ...) when
/// every address failed. Cancellable while connecting: the half-open socket is closed.
Coro<StreamPair> open_connection(std::string host, std::uint16_t port,
                                 std::size_t limit = kStreamLimit);

/// Called for every accepted connection, in a new task of its own (asyncio's
/// client_connected_cb). The stream closes once the task has dropped both handles (or earlier,
/// if it calls close()). An exception escaping it is reported like any failed task nobody awaits.
using ClientConnected = std::function<Coro<void>(StreamReader, StreamWriter)>;

/// A listening server (asyncio.Server). Copies share it. It serves until close() — or until the
/// last Server handle is dropped, which closes it too (RAII: keep the handle while serving).
class Server
{
public:
  Server() = default;
  explicit Server(detail::ServerState* s) noexcept;
  Server(const Server& o) noexcept;
  Server(Server&& o) noexcept : s_(std::exchange(o.s_, nullptr)) {}
  Server& operator=(Server o) noexcept
  {
    std::swap(s_, o.s_);
    return *this;
  }
  ~Server();

  /// The bound addresses, one per listening socket.
  std::vector<SocketAddress> sockets() const;
  /// The bound port of the first listening socket (useful with port 0).
  std::uint16_t port() const;
  std::vector<std::uint16_t> ports() const;
  bool is_serving() const noexcept;
  /// Stops listening and closes the listening sockets. Connections already accepted go on
  /// (CPython 3.12). Idempotent.
  void close();
  /// Waits until close() has been called and every accepted connection is closed.
  Coro<void> wait_closed();
  /// Waits until the server is closed. Cancelling the waiting task closes the server and
  /// propagates CancelledError. (asyncio's close() makes serve_forever() raise CancelledError;
  /// here it just returns.) RuntimeError if the server is closed already or another task serves
  /// forever.
  Coro<void> serve_forever();
  /// Connections accepted and not yet closed.
  std::size_t active_connections() const noexcept;
  std::uint32_t id() const noexcept;
  explicit operator bool() const noexcept { return s_ != nullptr; }

private:
  detail::ServerState* s_ = nullptr;
};

/// asyncio.start_server(client_connected, host, port, backlog=...): binds one listening socket per
/// address `host` resolves to ("" = every interface; port 0 = an ephemeral port, see
/// Server::port()) with SO_REUSEADDR and IPV6_V6ONLY, and starts accepting at once. Every accepted
/// connection gets TCP_NODELAY and runs `client_connected` in a new task. Throws OSError when a
/// bind fails (e.g. EADDRINUSE), closing what it had opened.
Coro<Server> start_server(ClientConnected client_connected, std::string host, std::uint16_t port,
                          int backlog = 1024, std::size_t limit = kStreamLimit);

}  // namespace loopscope::engine
