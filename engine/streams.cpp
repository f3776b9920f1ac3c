// SPDX-License-Identifier: GPL-3.0-or-later
// TCP streams over the loop's fd watchers (see streams.h for the protocol). The algorithms of the
// read functions, drain() and the server's bookkeeping follow CPython 3.12's asyncio/streams.py,
// selector_events.py and base_events.py.
#include "engine/streams.h"

#include "engine/errors.h"
#include "engine/intrusivelist.h"
#include "engine/loop.h"
#include "engine/task.h"
#include "engine/taskbase.h"

#include <netdb.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <system_error>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>

namespace loopscope::engine {

// ---------------------------------------------------------------- errors

OSError::OSError(int err, const std::string& message)
    : std::runtime_error(err != 0 ? "[Errno " + std::to_string(err) + "] " + message : message)
    , errno_(err)
{}

std::exception_ptr make_os_error(int err, std::string_view context)
{
  std::string msg = std::generic_category().message(err);
  if (!context.empty()) {
    msg += " (";
    msg += context;
    msg += ')';
  }
  switch (err) {
    case ECONNREFUSED:
      return std::make_exception_ptr(ConnectionRefusedError(err, msg));
    case ECONNRESET:
      return std::make_exception_ptr(ConnectionResetError(err, msg));
    case ECONNABORTED:
      return std::make_exception_ptr(ConnectionAbortedError(err, msg));
    case EPIPE:
    case ESHUTDOWN:
      return std::make_exception_ptr(BrokenPipeError(err, msg));
    default:
      return std::make_exception_ptr(OSError(err, msg));
  }
}

IncompleteReadError::IncompleteReadError(std::string partial, std::optional<std::size_t> expected)
    : std::runtime_error(std::to_string(partial.size()) + " bytes read on a total of " +
                         (expected ? std::to_string(*expected) : std::string("undefined")) +
                         " expected bytes")
    , partial_(std::move(partial))
    , expected_(expected)
{}

LimitOverrunError::LimitOverrunError(const std::string& message, std::size_t consumed)
    : std::runtime_error(message)
    , consumed_(consumed)
{}

std::string SocketAddress::to_string() const
{
  const std::string p = std::to_string(port);
  return host.find(':') != std::string::npos ? "[" + host + "]:" + p : host + ":" + p;
}

namespace detail {

namespace {

constexpr std::size_t kMinReadSpace = 4096;        // free tail kept in the read buffer per read
constexpr std::size_t kScratchSize = 64 * 1024;    // overflow of one readv() beyond that tail
constexpr std::size_t kKeepCapacity = 256 * 1024;  // larger buffers are freed once empty
constexpr std::chrono::seconds kAcceptRetry{1};    // asyncio's ACCEPT_RETRY_DELAY

/// The second iovec of every readv(): what does not fit in the stream's buffer lands here and is
/// appended, so one system call takes up to 64 KiB more than the buffer has room for.
char* scratch_buffer()
{
  thread_local std::unique_ptr<char[]> buf;
  if (!buf)
    buf = std::make_unique_for_overwrite<char[]>(kScratchSize);
  return buf.get();
}

bool would_block(int err) noexcept
{
  return err == EAGAIN || err == EWOULDBLOCK || err == EINTR;
}

[[noreturn]] void throw_os_error(int err, std::string_view context)
{
  std::rethrow_exception(make_os_error(err, context));
}

SocketAddress to_address(const sockaddr* sa)
{
  char text[INET6_ADDRSTRLEN] = {};
  if (sa->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
    ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
    return {text, ntohs(in->sin_port)};
  }
  if (sa->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
    ::inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
    return {text, ntohs(in6->sin6_port)};
  }
  return {};
}

SocketAddress local_of(int fd)
{
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (fd < 0 || ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) < 0)
    return {};
  return to_address(reinterpret_cast<const sockaddr*>(&ss));
}

SocketAddress peer_of(int fd)
{
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (fd < 0 || ::getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) < 0)
    return {};
  return to_address(reinterpret_cast<const sockaddr*>(&ss));
}

void set_nodelay(int fd) noexcept
{
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

/// The object id of a new connected socket; labelled "socket <local> -> <peer>" while tracing
/// (formatting the label costs two system calls, so it is skipped when nobody listens).
std::uint32_t register_socket(Loop& loop, int fd, const SocketAddress* peer = nullptr)
{
  if (!loop.tracing())
    return loop.next_object_id();
  const SocketAddress remote = peer != nullptr ? *peer : peer_of(fd);
  return loop.register_object(AwaitKind::IO,
                              "socket " + local_of(fd).to_string() + " -> " + remote.to_string());
}

struct ResolvedAddress
{
  sockaddr_storage addr{};
  socklen_t len = 0;
  int family = 0;
  const sockaddr* sa() const noexcept { return reinterpret_cast<const sockaddr*>(&addr); }
};

/// getaddrinfo for TCP. A numeric host is converted without any lookup; a name goes through the
/// system resolver, which blocks the loop thread (asyncio runs it in the default executor).
std::vector<ResolvedAddress> resolve(const std::string& host, std::uint16_t port, bool passive)
{
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_protocol = IPPROTO_TCP;
  hints.ai_flags = AI_NUMERICSERV | AI_NUMERICHOST | (passive ? AI_PASSIVE : 0);
  const std::string service = std::to_string(port);
  const char* node = host.empty() ? nullptr : host.c_str();
  addrinfo* res = nullptr;
  int rc = ::getaddrinfo(node, service.c_str(), &hints, &res);
  if (rc == EAI_NONAME && node != nullptr) {
    hints.ai_flags &= ~AI_NUMERICHOST;
    rc = ::getaddrinfo(node, service.c_str(), &hints, &res);
  }
  if (rc != 0) {
    const int err = rc == EAI_SYSTEM ? errno : 0;
    throw OSError(err, "getaddrinfo(\"" + host + "\"): " + ::gai_strerror(rc));
  }
  std::vector<ResolvedAddress> out;
  for (const addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
    if (ai->ai_addrlen > sizeof(sockaddr_storage))
      continue;
    ResolvedAddress a;
    std::memcpy(&a.addr, ai->ai_addr, ai->ai_addrlen);
    a.len = ai->ai_addrlen;
    a.family = ai->ai_family;
    const bool dup = std::any_of(out.begin(), out.end(), [&](const ResolvedAddress& b) {
      return b.len == a.len && std::memcmp(&b.addr, &a.addr, a.len) == 0;
    });
    if (!dup)
      out.push_back(a);
  }
  ::freeaddrinfo(res);
  if (out.empty())
    throw OSError(0, "getaddrinfo(\"" + host + "\") returned no address");
  return out;
}

/// Closes an fd it still owns (a socket not yet handed to a Socket).
struct FdGuard
{
  int fd = -1;
  explicit FdGuard(int f) noexcept : fd(f) {}
  FdGuard(const FdGuard&) = delete;
  FdGuard& operator=(const FdGuard&) = delete;
  ~FdGuard()
  {
    if (fd >= 0)
      ::close(fd);
  }
  int release() noexcept { return std::exchange(fd, -1); }
};

}  // namespace

// ---------------------------------------------------------------- buffers and waits

/// A byte queue: append at the back, consume from the front, read straight into the free tail.
class ByteBuffer
{
public:
  std::size_t size() const noexcept { return end_ - begin_; }
  bool empty() const noexcept { return end_ == begin_; }
  const char* data() const noexcept { return buf_.get() + begin_; }
  std::string_view view() const noexcept { return {data(), size()}; }
  std::size_t tail_space() const noexcept { return cap_ - end_; }

  /// Makes room for n more bytes at the back; returns where they go.
  char* prepare(std::size_t n)
  {
    if (cap_ - end_ >= n)
      return buf_.get() + end_;
    const std::size_t used = size();
    if (cap_ - used >= n && begin_ >= used) {
      // Moving the live bytes to the front is cheap (at most as many as were consumed).
      std::memmove(buf_.get(), data(), used);
    } else {
      const std::size_t cap = std::max({cap_ * 2, used + n, kMinReadSpace});
      auto grown = std::make_unique_for_overwrite<char[]>(cap);
      if (used != 0)
        std::memcpy(grown.get(), data(), used);
      buf_ = std::move(grown);
      cap_ = cap;
    }
    begin_ = 0;
    end_ = used;
    return buf_.get() + end_;
  }
  void commit(std::size_t n) noexcept { end_ += n; }
  void append(std::string_view s)
  {
    std::memcpy(prepare(s.size()), s.data(), s.size());
    end_ += s.size();
  }
  void consume(std::size_t n) noexcept
  {
    begin_ += n;
    if (begin_ == end_) {
      begin_ = end_ = 0;
      if (cap_ > kKeepCapacity) {
        buf_.reset();
        cap_ = 0;
      }
    }
  }
  void clear() noexcept { consume(size()); }

private:
  std::unique_ptr<char[]> buf_;
  std::size_t cap_ = 0;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
};

/// A task waiting for a socket or server to change. The node lives in the IoWait awaiter (in the
/// waiting coroutine's frame); the owner wakes every node of a list at once, and each woken
/// coroutine looks at the state again (asyncio's `await self._waiter` in a loop).
struct IoWaiter
{
  IoWaiter* prev = nullptr;
  IoWaiter* next = nullptr;
  TaskBase* task = nullptr;
  bool linked = false;
};
using IoWaitList = IntrusiveList<IoWaiter>;

namespace {

void wake_all(IoWaitList& list)
{
  list.detach_each([](IoWaiter* w) { w->task->loop().schedule_step(w->task); });
}

/// `co_await IoWait(list, id)`: suspends until the owner of `list` wakes it. Cancelling the
/// waiting task unlinks the node and wakes the task with CancelledError; nothing else changes,
/// so whatever the owner buffered meanwhile stays for the next call.
struct IoWait
{
  using is_engine_awaiter = void;
  IoWaitList* list;
  std::uint32_t id;  // the socket's or server's object id (Suspended.detail)
  IoWaiter node{};

  IoWait(IoWaitList& l, std::uint32_t object_id) noexcept : list(&l), id(object_id) {}
  IoWait(IoWait&& o) noexcept : list(o.list), id(o.id) {}
  IoWait& operator=(IoWait&&) = delete;
  ~IoWait() { list->remove(&node); }  // a no-op unless unwound while still waiting

  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>)
  {
    node.task = current_task();
    list->push_back(&node);
    static constexpr WaitOps ops{&IoWait::on_cancel, [](const void* obj) noexcept {
                                   return std::uint64_t{static_cast<const IoWait*>(obj)->id};
                                 }};
    node.task->set_wait(AwaitKind::IO, this, &ops);
  }
  void await_resume() const noexcept {}

  static bool on_cancel(TaskBase& t, void* obj, std::string_view msg)
  {
    auto* self = static_cast<IoWait*>(obj);
    self->list->remove(&self->node);
    t.mark_wake_delivers_cancel(msg);
    t.loop().schedule_step(&t);
    return true;
  }
};

/// Waits for a non-blocking connect() to finish (the fd becomes writable). The writer watcher is
/// this awaiter's: removed when it fires, when the wait is cancelled, or when the frame goes.
struct ConnectAwaiter
{
  using is_engine_awaiter = void;
  Loop* loop;
  int fd;
  std::uint32_t id;
  TaskBase* task = nullptr;
  bool watching = false;

  ConnectAwaiter(Loop& l, int f, std::uint32_t object_id) noexcept : loop(&l), fd(f), id(object_id)
  {}
  ConnectAwaiter(ConnectAwaiter&& o) noexcept : loop(o.loop), fd(o.fd), id(o.id) {}
  ConnectAwaiter& operator=(ConnectAwaiter&&) = delete;
  ~ConnectAwaiter() { stop(); }

  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>)
  {
    task = current_task();
    loop->add_writer(fd, [this] {
      stop();
      loop->schedule_step(task);
    });
    watching = true;
    static constexpr WaitOps ops{
        &ConnectAwaiter::on_cancel, [](const void* obj) noexcept {
          return std::uint64_t{static_cast<const ConnectAwaiter*>(obj)->id};
        }};
    task->set_wait(AwaitKind::IO, this, &ops);
  }
  void await_resume() const noexcept {}

  void stop() noexcept
  {
    if (!watching)
      return;
    watching = false;
    try {
      loop->remove_writer(fd);
    } catch (...) {  // epoll_ctl cannot fail for a registered fd; nothing to do if it did
    }
  }
  static bool on_cancel(TaskBase& t, void* obj, std::string_view msg)
  {
    static_cast<ConnectAwaiter*>(obj)->stop();
    t.mark_wake_delivers_cancel(msg);
    t.loop().schedule_step(&t);
    return true;
  }
};

}  // namespace

// ---------------------------------------------------------------- Socket

/// One connected TCP socket: asyncio's _SelectorSocketTransport, StreamReaderProtocol,
/// StreamReader and StreamWriter in one object. Owned by SocketRefs (handles, read/drain
/// coroutines) plus a reference of its own while a close() flushes the write queue.
class Socket
{
public:
  Socket(Loop& loop, int fd, std::uint32_t id, std::size_t limit, ServerState* server);
  ~Socket();
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  void retain() noexcept { ++refs_; }
  void release();

  // ---- read side
  void start_reading();
  void stop_reading();
  void on_readable();
  /// After bytes were consumed: resume a paused reader once the buffer is down to the limit.
  void maybe_resume_reading();
  /// The await of asyncio's _wait_for_data: one waiting reader at most; resumes paused reading.
  IoWait wait_for_data(const char* func);
  void check_error() const
  {
    if (error_)
      std::rethrow_exception(error_);
  }
  std::string take(std::size_t n);

  // ---- write side
  void write(std::string_view data);
  void start_writing();
  void stop_writing();
  void on_writable();
  void update_write_pause();
  void close();
  void abort();
  void write_eof();
  /// asyncio's _fatal_error/_force_close: the connection is lost to errno `err`.
  void fatal(int err);
  /// Closes the fd now and wakes everybody waiting. May drop the last reference: touch nothing
  /// after calling it.
  void finish_close(std::exception_ptr exc);

  Loop* loop_;
  int fd_;
  std::uint32_t id_;
  int refs_ = 0;
  std::size_t limit_;
  std::size_t high_ = kWriteHighWater;
  std::size_t low_ = kWriteLowWater;
  ByteBuffer rbuf_;
  ByteBuffer wbuf_;
  std::exception_ptr error_;  // the connection error every read (and drain) throws
  IoWaitList read_waiters_;   // at most one (asyncio allows one reader waiting)
  IoWaitList drain_waiters_;
  IoWaitList close_waiters_;
  ServerState* server_;         // the server that accepted it (counts active connections)
  bool reading_ = false;        // the reader watcher is registered
  bool read_paused_ = false;    // flow control: more than 2 × limit unread
  bool read_to_eof_ = false;    // a read(-1) waits: do not pause, it takes everything at EOF
  bool eof_ = false;            // nothing more will arrive (peer EOF, error or closed)
  bool writing_ = false;        // the writer watcher is registered
  bool write_paused_ = false;   // drain() waits (asyncio: protocol paused)
  bool closing_ = false;        // close()/abort() called or the connection lost
  bool closed_ = false;         // the fd is closed
  bool eof_requested_ = false;  // write_eof() called
  bool self_ref_ = false;       // holds a reference of its own while flushing before close
};

class ServerState
{
public:
  ServerState(Loop& loop, ClientConnected cb, int backlog, std::size_t limit)
      : loop_(&loop)
      , cb_(std::move(cb))
      , backlog_(std::max(backlog, 1))
      , limit_(limit)
  {}
  ~ServerState() { close(); }
  ServerState(const ServerState&) = delete;
  ServerState& operator=(const ServerState&) = delete;

  void retain() noexcept { ++refs_; }
  void release()
  {
    if (--refs_ == 0)
      delete this;
  }
  void add_handle() noexcept
  {
    ++handles_;
    retain();
  }
  void drop_handle()
  {
    if (--handles_ == 0)
      close();
    release();
  }

  void start_accepting();
  void stop_accepting();
  void on_acceptable(int listen_fd);
  void close();
  void attach() noexcept { ++active_; }
  void detach()
  {
    --active_;
    wake_if_done();
  }
  void wake_if_done()
  {
    if (closed_ && active_ == 0)
      wake_all(closed_waiters_);
  }

  Loop* loop_;
  ClientConnected cb_;
  int backlog_;
  std::size_t limit_;
  std::vector<int> fds_;
  std::vector<SocketAddress> addrs_;
  std::uint32_t id_ = 0;
  int refs_ = 0;
  int handles_ = 0;
  std::size_t active_ = 0;
  bool closed_ = false;
  bool accepting_ = false;
  bool serving_forever_ = false;
  Handle retry_;  // resumes accepting after EMFILE & co.
  IoWaitList closed_waiters_;
  IoWaitList serve_waiters_;
};

namespace {
/// A counted reference to a ServerState (not a handle: it does not keep the server open).
class ServerRef
{
public:
  explicit ServerRef(ServerState* s) noexcept : s_(s) { s_->retain(); }
  ServerRef(const ServerRef& o) noexcept : ServerRef(o.s_) {}
  ServerRef& operator=(const ServerRef&) = delete;
  ~ServerRef() { s_->release(); }
  ServerState* get() const noexcept { return s_; }
  ServerState* operator->() const noexcept { return s_; }

private:
  ServerState* s_;
};
/// A connection's handler task. It keeps the server state, and with it the handler callable,
/// alive while it runs: a coroutine lambda's captures live in that callable, not in the frame.
Coro<void> run_handler([[maybe_unused]] ServerRef keep, Coro<void> body)
{
  co_await std::move(body);
}
}  // namespace

Socket::Socket(Loop& loop, int fd, std::uint32_t id, std::size_t limit, ServerState* server)
    : loop_(&loop)
    , fd_(fd)
    , id_(id)
    , limit_(limit)
    , server_(server)
{
  if (server_ != nullptr) {
    server_->retain();
    server_->attach();
  }
}

Socket::~Socket()
{
  if (!closed_) {  // not reached through release(), which closes first; kept for safety
    try {
      stop_reading();
      stop_writing();
    } catch (...) {
    }
    ::close(fd_);
  }
  if (server_ != nullptr) {
    server_->detach();
    server_->release();
  }
}

void Socket::release()
{
  if (--refs_ > 0)
    return;
  if (!closed_) {
    // Nobody can use the stream any more: close it, as asyncio's StreamWriter.__del__ does. Only
    // a running loop can still send what is queued; otherwise (the loop is stopped or being
    // destroyed) the socket closes at once.
    if (loop_->is_running())
      close();
    else
      abort();
    if (refs_ > 0)
      return;  // flushing: finish_close() drops that last reference
  }
  delete this;
}

void Socket::start_reading()
{
  if (reading_ || eof_ || closing_)
    return;
  loop_->add_reader(fd_, [this] { on_readable(); });
  reading_ = true;
}

void Socket::stop_reading()
{
  if (!reading_)
    return;
  reading_ = false;
  loop_->remove_reader(fd_);
}

void Socket::on_readable()
{
  // asyncio's _read_ready: one read per callback (level-triggered: more data means another turn).
  char* scratch = scratch_buffer();
  iovec iov[2];
  iov[0].iov_base = rbuf_.prepare(kMinReadSpace);
  iov[0].iov_len = rbuf_.tail_space();
  iov[1].iov_base = scratch;
  iov[1].iov_len = kScratchSize;
  const ssize_t n = ::readv(fd_, iov, 2);
  if (n < 0) {
    if (!would_block(errno))
      fatal(errno);  // may drop the last reference: return at once
    return;
  }
  if (n == 0) {
    // EOF: keep the socket open for writing (StreamReaderProtocol.eof_received returns True).
    eof_ = true;
    stop_reading();
    wake_all(read_waiters_);
    return;
  }
  const auto got = static_cast<std::size_t>(n);
  const std::size_t first = std::min(got, iov[0].iov_len);
  rbuf_.commit(first);
  if (got > first)
    rbuf_.append(std::string_view(scratch, got - first));
  wake_all(read_waiters_);
  if (!read_to_eof_ && rbuf_.size() > 2 * limit_) {  // asyncio feed_data: pause_reading()
    read_paused_ = true;
    stop_reading();
  }
}

void Socket::maybe_resume_reading()
{
  if (read_paused_ && rbuf_.size() <= limit_) {
    read_paused_ = false;
    start_reading();
  }
}

IoWait Socket::wait_for_data(const char* func)
{
  if (!read_waiters_.empty())
    throw RuntimeError(std::string(func) +
                       "() called while another coroutine is already waiting for incoming data");
  if (read_paused_) {
    read_paused_ = false;
    start_reading();
  }
  return IoWait(read_waiters_, id_);
}

std::string Socket::take(std::size_t n)
{
  std::string out(rbuf_.data(), n);
  rbuf_.consume(n);
  maybe_resume_reading();
  return out;
}

void Socket::write(std::string_view data)
{
  if (eof_requested_)
    throw RuntimeError("Cannot call write() after write_eof()");
  if (closing_ || data.empty())
    return;  // asyncio drops writes to a closing or lost connection
  if (wbuf_.empty()) {
    // Nothing queued: try to send right away (asyncio does too), queue only the rest.
    const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (!would_block(errno)) {
        fatal(errno);
        return;
      }
    } else {
      data.remove_prefix(static_cast<std::size_t>(n));
      if (data.empty())
        return;
    }
    wbuf_.append(data);
    start_writing();
  } else {
    wbuf_.append(data);
  }
  update_write_pause();
}

void Socket::start_writing()
{
  if (writing_)
    return;
  loop_->add_writer(fd_, [this] { on_writable(); });
  writing_ = true;
}

void Socket::stop_writing()
{
  if (!writing_)
    return;
  writing_ = false;
  loop_->remove_writer(fd_);
}

void Socket::update_write_pause()
{
  if (!write_paused_ && wbuf_.size() > high_) {
    write_paused_ = true;  // asyncio: protocol.pause_writing()
  } else if (write_paused_ && wbuf_.size() <= low_) {
    write_paused_ = false;  // protocol.resume_writing(): drain() returns
    wake_all(drain_waiters_);
  }
}

void Socket::on_writable()
{
  if (!wbuf_.empty()) {
    const ssize_t n = ::send(fd_, wbuf_.data(), wbuf_.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (!would_block(errno))
        fatal(errno);  // may drop the last reference: return at once
      return;
    }
    wbuf_.consume(static_cast<std::size_t>(n));
    update_write_pause();
  }
  if (!wbuf_.empty())
    return;
  stop_writing();
  if (closing_) {
    finish_close(nullptr);  // may drop the last reference: return at once
    return;
  }
  if (eof_requested_)
    ::shutdown(fd_, SHUT_WR);
}

void Socket::close()
{
  if (closing_)
    return;
  closing_ = true;
  stop_reading();
  if (wbuf_.empty()) {
    finish_close(nullptr);
    return;
  }
  // Send what is queued first, even if every handle goes away meanwhile.
  retain();
  self_ref_ = true;
}

void Socket::abort()
{
  if (closed_)
    return;
  closing_ = true;
  wbuf_.clear();
  finish_close(nullptr);
}

void Socket::write_eof()
{
  if (closing_ || eof_requested_)
    return;
  eof_requested_ = true;
  if (wbuf_.empty())
    ::shutdown(fd_, SHUT_WR);
}

void Socket::fatal(int err)
{
  error_ = make_os_error(err);
  closing_ = true;
  wbuf_.clear();
  finish_close(error_);
}

void Socket::finish_close(std::exception_ptr exc)
{
  if (closed_)
    return;
  closing_ = true;
  closed_ = true;
  try {
    stop_reading();
    stop_writing();
  } catch (...) {  // epoll_ctl cannot fail for a registered fd; the fd is closed regardless
  }
  ::close(fd_);
  fd_ = -1;
  if (exc && !error_)
    error_ = std::move(exc);
  eof_ = true;  // a waiting read sees EOF (asyncio: connection_lost → feed_eof) or the error
  read_paused_ = false;
  write_paused_ = false;
  wbuf_.clear();
  wake_all(read_waiters_);
  wake_all(drain_waiters_);
  wake_all(close_waiters_);
  if (ServerState* s = std::exchange(server_, nullptr)) {
    s->detach();
    s->release();
  }
  if (self_ref_) {
    self_ref_ = false;
    release();  // may delete this
  }
}

SocketRef::SocketRef(Socket* s) noexcept : s_(s)
{
  if (s_ != nullptr)
    s_->retain();
}

SocketRef::SocketRef(const SocketRef& o) noexcept : SocketRef(o.s_) {}

SocketRef::~SocketRef()
{
  if (s_ != nullptr)
    s_->release();
}

// ---------------------------------------------------------------- read/drain coroutines

namespace {

Coro<std::string> read_some(SocketRef s, std::ptrdiff_t n)
{
  s->check_error();
  if (n == 0)
    co_return std::string();
  if (n > 0) {
    if (s->rbuf_.empty() && !s->eof_) {
      co_await s->wait_for_data("read");
      s->check_error();
    }
    co_return s->take(std::min(static_cast<std::size_t>(n), s->rbuf_.size()));
  }
  // n < 0: everything up to EOF. The bytes stay in the stream's buffer until EOF (reading is
  // not paused meanwhile), so a cancelled read(-1) loses nothing.
  struct ToEof
  {
    Socket* s;
    explicit ToEof(Socket* sock) noexcept : s(sock) { s->read_to_eof_ = true; }
    ToEof(const ToEof&) = delete;
    ToEof& operator=(const ToEof&) = delete;
    ~ToEof() { s->read_to_eof_ = false; }
  } guard(s.get());
  while (!s->eof_) {
    co_await s->wait_for_data("read");
    s->check_error();
  }
  co_return s->take(s->rbuf_.size());
}

Coro<std::string> read_exactly(SocketRef s, std::size_t n)
{
  s->check_error();
  while (s->rbuf_.size() < n) {
    if (s->eof_)
      throw IncompleteReadError(s->take(s->rbuf_.size()), n);
    co_await s->wait_for_data("readexactly");
    s->check_error();
  }
  co_return s->take(n);
}

/// asyncio's readuntil (and readline, which turns its errors into results or drops the overrun).
/// Only the bytes that arrived since the last look are searched.
Coro<std::string> read_until(SocketRef s, std::string sep, bool line)
{
  if (sep.empty())
    throw std::invalid_argument("Separator should be at least one-byte string");
  s->check_error();
  const std::size_t seplen = sep.size();
  std::size_t offset = 0;
  std::size_t isep = std::string_view::npos;
  const char* overrun = nullptr;
  for (;;) {
    const std::string_view buf = s->rbuf_.view();
    if (offset > buf.size())
      offset = 0;  // another task read meanwhile (without waiting): search again
    if (buf.size() - offset >= seplen) {
      isep = buf.find(sep, offset);
      if (isep != std::string_view::npos)
        break;
      offset = buf.size() + 1 - seplen;
      if (offset > s->limit_) {
        overrun = "Separator is not found, and chunk exceed the limit";
        break;
      }
    }
    if (s->eof_) {
      std::string rest = s->take(buf.size());
      if (line)
        co_return rest;
      throw IncompleteReadError(std::move(rest), std::nullopt);
    }
    co_await s->wait_for_data(line ? "readline" : "readuntil");
    s->check_error();
  }
  std::size_t consumed = offset;
  if (overrun == nullptr && isep > s->limit_) {
    overrun = "Separator is found, but chunk is longer than limit";
    consumed = isep;
  }
  if (overrun != nullptr) {
    if (line) {
      // asyncio readline: drop the overlong line (through its separator if that arrived).
      if (s->rbuf_.view().substr(consumed).starts_with(sep))
        s->rbuf_.consume(consumed + seplen);
      else
        s->rbuf_.clear();
      s->maybe_resume_reading();
    }
    throw LimitOverrunError(overrun, consumed);
  }
  co_return s->take(isep + seplen);
}

Coro<void> drain_socket(SocketRef s)
{
  // asyncio 3.12 StreamWriter.drain + FlowControlMixin._drain_helper.
  s->check_error();
  for (;;) {
    if (s->closed_)
      throw ConnectionResetError(ECONNRESET, "Connection lost");
    if (!s->write_paused_)
      co_return;
    co_await IoWait(s->drain_waiters_, s->id_);
    s->check_error();
  }
}

Coro<void> wait_socket_closed(SocketRef s)
{
  while (!s->closed_)
    co_await IoWait(s->close_waiters_, s->id_);
  s->check_error();
}

}  // namespace

// ---------------------------------------------------------------- ServerState

void ServerState::start_accepting()
{
  if (accepting_ || closed_)
    return;
  for (int fd : fds_)
    loop_->add_reader(fd, [this, fd] { on_acceptable(fd); });
  accepting_ = true;
}

void ServerState::stop_accepting()
{
  if (!accepting_)
    return;
  accepting_ = false;
  for (int fd : fds_)
    loop_->remove_reader(fd);
}

void ServerState::on_acceptable(int listen_fd)
{
  // asyncio's _accept_connection: up to `backlog` connections per wake-up.
  for (int i = 0; i < backlog_ && accepting_; ++i) {
    sockaddr_storage peer{};
    socklen_t len = sizeof peer;
    const int fd = ::accept4(listen_fd, reinterpret_cast<sockaddr*>(&peer), &len,
                             SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      const int err = errno;
      if (err == EAGAIN || err == EWOULDBLOCK)
        return;
      if (err == EINTR || err == ECONNABORTED || err == EPROTO)
        continue;  // that one connection is gone; others may be queued
      loop_->report_exception("accepting a connection", make_os_error(err, "accept"));
      if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) {
        // Out of descriptors or memory: stop accepting for a while (asyncio waits 1 s too).
        stop_accepting();
        retry_ = loop_->call_later(kAcceptRetry, [this] { start_accepting(); });
      }
      return;
    }
    set_nodelay(fd);
    const SocketAddress remote = to_address(reinterpret_cast<const sockaddr*>(&peer));
    SocketRef s(new Socket(*loop_, fd, register_socket(*loop_, fd, &remote), limit_, this));
    try {
      s->start_reading();
      std::string name = loop_->tracing() ? "client " + remote.to_string() : std::string();
      loop_->create_task(run_handler(ServerRef(this), cb_(StreamReader(s), StreamWriter(s))),
                         std::move(name));
    } catch (...) {
      // The handler never started: the connection closes with the last reference.
      loop_->report_exception("client_connected", std::current_exception());
    }
  }
}

void ServerState::close()
{
  if (closed_)
    return;
  closed_ = true;
  retry_.cancel();
  try {
    stop_accepting();
  } catch (...) {
  }
  for (int fd : fds_)
    ::close(fd);
  fds_.clear();
  wake_all(serve_waiters_);
  wake_if_done();
}

}  // namespace detail

// ---------------------------------------------------------------- StreamReader

Coro<std::string> StreamReader::read(std::ptrdiff_t n)
{
  return detail::read_some(s_, n);
}

Coro<std::string> StreamReader::readexactly(std::size_t n)
{
  return detail::read_exactly(s_, n);
}

Coro<std::string> StreamReader::readline()
{
  return detail::read_until(s_, "\n", true);
}

Coro<std::string> StreamReader::readuntil(std::string separator)
{
  return detail::read_until(s_, std::move(separator), false);
}

bool StreamReader::at_eof() const noexcept
{
  return s_->eof_ && s_->rbuf_.empty();
}

std::exception_ptr StreamReader::exception() const noexcept
{
  return s_->error_;
}

std::size_t StreamReader::buffered() const noexcept
{
  return s_->rbuf_.size();
}

std::size_t StreamReader::limit() const noexcept
{
  return s_->limit_;
}

std::uint32_t StreamReader::id() const noexcept
{
  return s_->id_;
}

// ---------------------------------------------------------------- StreamWriter

void StreamWriter::write(std::string_view data)
{
  s_->write(data);
}

Coro<void> StreamWriter::drain()
{
  return detail::drain_socket(s_);
}

void StreamWriter::close()
{
  s_->close();
}

Coro<void> StreamWriter::wait_closed()
{
  return detail::wait_socket_closed(s_);
}

bool StreamWriter::is_closing() const noexcept
{
  return s_->closing_;
}

void StreamWriter::write_eof()
{
  s_->write_eof();
}

void StreamWriter::abort()
{
  s_->abort();
}

std::size_t StreamWriter::write_buffer_size() const noexcept
{
  return s_->wbuf_.size();
}

void StreamWriter::set_write_buffer_limits(std::size_t high, std::optional<std::size_t> low)
{
  const std::size_t lo = low.value_or(high / 4);
  if (lo > high)
    throw std::invalid_argument("set_write_buffer_limits: low must not exceed high");
  s_->high_ = high;
  s_->low_ = lo;
  s_->update_write_pause();
}

SocketAddress StreamWriter::local_address() const
{
  return detail::local_of(s_->fd_);
}

SocketAddress StreamWriter::peer_address() const
{
  return detail::peer_of(s_->fd_);
}

int StreamWriter::native_handle() const noexcept
{
  return s_->fd_;
}

std::uint32_t StreamWriter::id() const noexcept
{
  return s_->id_;
}

// ---------------------------------------------------------------- open_connection

Coro<StreamPair> open_connection(std::string host, std::uint16_t port, std::size_t limit)
{
  Loop& loop = Loop::running();
  const std::vector<detail::ResolvedAddress> addrs = detail::resolve(host, port, false);
  std::vector<std::exception_ptr> errors;
  std::vector<int> codes;
  for (const detail::ResolvedAddress& a : addrs) {
    const SocketAddress target = detail::to_address(a.sa());
    const std::string context = "connect to " + target.to_string();
    detail::FdGuard fd(::socket(a.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    int err = fd.fd < 0 ? errno : 0;
    if (err == 0) {
      detail::set_nodelay(fd.fd);
      if (::connect(fd.fd, a.sa(), a.len) < 0)
        err = errno == EINTR ? EINPROGRESS : errno;
    }
    if (err != 0 && err != EINPROGRESS) {
      errors.push_back(make_os_error(err, context));
      codes.push_back(err);
      continue;
    }
    // The local address is bound as soon as connect() returns, so the label is complete.
    const std::uint32_t id = detail::register_socket(loop, fd.fd, &target);
    if (err == EINPROGRESS) {
      co_await detail::ConnectAwaiter(loop, fd.fd, id);
      socklen_t len = sizeof err;
      if (::getsockopt(fd.fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
        err = errno;
      if (err != 0) {
        errors.push_back(make_os_error(err, context));
        codes.push_back(err);
        continue;
      }
    }
    detail::SocketRef s(new detail::Socket(loop, fd.release(), id, limit, nullptr));
    s->start_reading();
    co_return StreamPair(StreamReader(s), StreamWriter(s));
  }
  // asyncio: one error, or several alike, is raised as is; different ones are summarised.
  if (std::all_of(codes.begin(), codes.end(), [&](int c) { return c == codes.front(); }))
    std::rethrow_exception(errors.front());
  std::string all;
  for (const std::exception_ptr& e : errors)
    all += (all.empty() ? "" : ", ") + describe_exception(e);
  throw OSError(codes.front(), "Multiple exceptions: " + all);
}

// ---------------------------------------------------------------- Server

Server::Server(detail::ServerState* s) noexcept : s_(s)
{
  if (s_ != nullptr)
    s_->add_handle();
}

Server::Server(const Server& o) noexcept : Server(o.s_) {}

Server::~Server()
{
  if (s_ != nullptr)
    s_->drop_handle();
}

std::vector<SocketAddress> Server::sockets() const
{
  return s_->closed_ ? std::vector<SocketAddress>{} : s_->addrs_;
}

std::uint16_t Server::port() const
{
  return s_->addrs_.empty() ? 0 : s_->addrs_.front().port;
}

std::vector<std::uint16_t> Server::ports() const
{
  std::vector<std::uint16_t> out;
  for (const SocketAddress& a : s_->addrs_)
    out.push_back(a.port);
  return out;
}

bool Server::is_serving() const noexcept
{
  return !s_->closed_;
}

void Server::close()
{
  s_->close();
}

namespace {
Coro<void> wait_server_closed(detail::ServerRef s)
{
  while (!(s->closed_ && s->active_ == 0))
    co_await detail::IoWait(s->closed_waiters_, s->id_);
}

Coro<void> serve_until_closed(detail::ServerRef s)
{
  if (s->closed_)
    throw RuntimeError("server is closed");
  if (s->serving_forever_)
    throw RuntimeError("server is already being awaited on serve_forever()");
  s->serving_forever_ = true;
  struct Reset
  {
    detail::ServerState* s;
    ~Reset() { s->serving_forever_ = false; }
  } reset{s.get()};
  try {
    while (!s->closed_)
      co_await detail::IoWait(s->serve_waiters_, s->id_);
  } catch (const CancelledError&) {
    s->close();  // asyncio: cancelling serve_forever() closes the server
    throw;
  }
}
}  // namespace

Coro<void> Server::wait_closed()
{
  return wait_server_closed(detail::ServerRef(s_));
}

Coro<void> Server::serve_forever()
{
  return serve_until_closed(detail::ServerRef(s_));
}

std::size_t Server::active_connections() const noexcept
{
  return s_->active_;
}

std::uint32_t Server::id() const noexcept
{
  return s_->id_;
}

Coro<Server> start_server(ClientConnected client_connected, std::string host, std::uint16_t port,
                          int backlog, std::size_t limit)
{
  Loop& loop = Loop::running();
  if (!client_connected)
    throw std::invalid_argument("start_server: client_connected must not be empty");
  const std::vector<detail::ResolvedAddress> addrs = detail::resolve(host, port, true);
  // Owned by the handle from here on: an error below closes whatever was opened.
  auto* state = new detail::ServerState(loop, std::move(client_connected), backlog, limit);
  Server server(state);
  detail::ServerState& st = *state;
  for (const detail::ResolvedAddress& a : addrs) {
    const int fd = ::socket(a.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      if (errno == EAFNOSUPPORT)
        continue;  // e.g. IPv6 disabled: asyncio skips the address too
      detail::throw_os_error(errno, "socket");
    }
    st.fds_.push_back(fd);
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (a.family == AF_INET6)
      ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    if (::bind(fd, a.sa(), a.len) < 0)
      detail::throw_os_error(errno, "error while attempting to bind on address " +
                                        detail::to_address(a.sa()).to_string());
    if (::listen(fd, backlog) < 0)
      detail::throw_os_error(errno, "listen");
    st.addrs_.push_back(detail::local_of(fd));
  }
  if (st.fds_.empty())
    throw OSError(EAFNOSUPPORT, "start_server: no usable address for \"" + host + "\"");
  if (loop.tracing()) {
    std::string label = "server ";
    for (std::size_t i = 0; i < st.addrs_.size(); ++i)
      label += (i == 0 ? "" : ", ") + st.addrs_[i].to_string();
    st.id_ = loop.register_object(AwaitKind::IO, label);
  } else {
    st.id_ = loop.next_object_id();
  }
  st.start_accepting();
  co_return server;
}

}  // namespace loopscope::engine
