// SPDX-License-Identifier: GPL-3.0-or-later
// Loop: file-descriptor watchers, POSIX signals, object labels and diagnostics.
#include "engine/errors.h"
#include "engine/loop.h"
#include "engine/taskbase.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <mutex>
#include <stdexcept>
#include <string>
#include <system_error>

#include <sys/epoll.h>

namespace loopscope::engine {

namespace {

[[noreturn]] void throw_errno(const char* what)
{
  throw std::system_error(errno, std::generic_category(), what);
}

// ---------------------------------------------------------------- signals
//
// Design: a self-pipe, not signalfd. signalfd only sees a signal that is blocked in *every* thread
// of the process; otherwise the kernel hands it to any thread that does not block it, and the
// default action (terminate) runs. A GUI or a thread pool creates threads we do not control, so
// blocking everywhere is not possible. Instead a process-wide sigaction handler, which may run on
// whichever thread the kernel picks, writes the signal number into the owning loop's pipe
// (write() is async-signal-safe); the loop watches the read end like any fd and runs the Python-
// level handler as a callback on its own thread. This is what CPython does too
// (signal.set_wakeup_fd + a C-level handler).

constexpr int kMaxSignal = 65;
// Write end of the pipe of the loop handling each signal (-1: none). Read by the handler.
std::atomic<int> g_signal_fd[kMaxSignal];
// Bumped by the handler for every signal it forwards (lock-free, so async-signal-safe).
std::atomic<std::uint32_t> g_signal_arrivals{0};
static_assert(std::atomic<std::uint32_t>::is_always_lock_free);
struct SignalSlot
{
  const void* owner = nullptr;  // the Loop
  struct sigaction previous
  {};
};
SignalSlot g_slots[kMaxSignal];
std::mutex g_signal_mutex;  // registration only, never in the handler
std::once_flag g_init;

extern "C" void loopscope_on_signal(int signum)
{
  const int saved = errno;
  if (signum > 0 && signum < kMaxSignal) {
    const int fd = g_signal_fd[signum].load(std::memory_order_relaxed);
    if (fd >= 0) {
      const auto byte = static_cast<unsigned char>(signum);
      // A full pipe drops the byte: the loop is already behind on signals and will wake anyway.
      [[maybe_unused]] ssize_t r = ::write(fd, &byte, 1);
      g_signal_arrivals.fetch_add(1, std::memory_order_release);
    }
  }
  errno = saved;
}

}  // namespace

// ---------------------------------------------------------------- fd watchers

void Loop::update_fd(int fd)
{
  auto it = fds_.find(fd);
  std::uint32_t want = 0;
  if (it != fds_.end()) {
    if (it->second.reader != nullptr)
      want |= EPOLLIN;
    if (it->second.writer != nullptr)
      want |= EPOLLOUT;
  }
  const std::uint32_t had = it != fds_.end() ? it->second.registered : 0;
  if (want == had)
    return;
  epoll_event ev{};
  ev.events = want;
  ev.data.fd = fd;
  int r = 0;
  if (want == 0)
    r = epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, &ev);
  else
    r = epoll_ctl(epoll_fd_, had == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &ev);
  if (r < 0 && want != 0)
    throw_errno("epoll_ctl");
  if (want == 0)
    fds_.erase(it);
  else
    it->second.registered = want;
}

namespace {
detail::CallbackHandle* make_io_handle(Loop* loop, std::uint32_t id, std::function<void()> fn)
{
  if (!fn)
    throw std::invalid_argument("callback must not be empty");
  auto* h = new detail::CallbackHandle;
  h->kind = detail::TimerNode::Kind::Io;
  h->fn = std::move(fn);
  h->loop = loop;
  h->id = id;
  h->retain();  // owned by the fd table
  return h;
}

void drop_io_handle(Loop& loop, detail::CallbackHandle*& h) noexcept
{
  if (h == nullptr)
    return;
  loop.cancel_timer(h);  // it may be queued to run this iteration
  h->cancelled = true;
  h->release();
  h = nullptr;
}
}  // namespace

void Loop::add_watcher(int fd, bool writer, std::function<void()> fn)
{
  if (fd < 0)
    throw std::invalid_argument(std::string(writer ? "add_writer" : "add_reader") +
                                ": invalid file descriptor " + std::to_string(fd));
  auto* h = make_io_handle(this, ++callback_ids_, std::move(fn));
  FdWatch& w = fds_[fd];
  detail::CallbackHandle*& slot = writer ? w.writer : w.reader;
  drop_io_handle(*this, slot);
  slot = h;
  try {
    update_fd(fd);
  } catch (...) {
    FdWatch& again = fds_[fd];
    drop_io_handle(*this, writer ? again.writer : again.reader);
    if (again.reader == nullptr && again.writer == nullptr && again.registered == 0)
      fds_.erase(fd);
    throw;
  }
}

bool Loop::remove_watcher(int fd, bool writer)
{
  auto it = fds_.find(fd);
  if (it == fds_.end())
    return false;
  detail::CallbackHandle*& slot = writer ? it->second.writer : it->second.reader;
  if (slot == nullptr)
    return false;
  drop_io_handle(*this, slot);
  update_fd(fd);
  return true;
}

void Loop::dispatch_io(int fd, std::uint32_t events)
{
  auto it = fds_.find(fd);
  if (it == fds_.end())
    return;
  const FdWatch& w = it->second;
  // Errors and hang-ups wake both sides: the next read()/write() reports them.
  if (w.reader != nullptr && (events & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP)) != 0 &&
      w.reader->state == detail::TimerNode::State::Idle)
    push_ready_node(w.reader);
  if (w.writer != nullptr && (events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) != 0 &&
      w.writer->state == detail::TimerNode::State::Idle)
    push_ready_node(w.writer);
}

// ---------------------------------------------------------------- signals

void Loop::add_signal_handler(int signum, std::function<void()> fn, SignalWakes wakes)
{
  if (signum <= 0 || signum >= kMaxSignal || signum >= NSIG)
    throw std::invalid_argument("add_signal_handler: signal number out of range: " +
                                std::to_string(signum));
  if (signum == SIGKILL || signum == SIGSTOP)
    throw std::invalid_argument("add_signal_handler: signal " + std::to_string(signum) +
                                " cannot be caught");
  if (!fn)
    throw std::invalid_argument("add_signal_handler: callback must not be empty");
  std::call_once(g_init, [] {
    for (auto& fd : g_signal_fd)
      fd.store(-1);
  });
  if (signal_pipe_[0] < 0) {
    if (::pipe2(signal_pipe_, O_NONBLOCK | O_CLOEXEC) < 0)
      throw_errno("pipe2");
    try {
      add_reader(signal_pipe_[0], [this] { read_signal_pipe(); });
    } catch (...) {
      ::close(signal_pipe_[0]);
      ::close(signal_pipe_[1]);
      signal_pipe_[0] = signal_pipe_[1] = -1;
      throw;
    }
  }
  std::lock_guard lock(g_signal_mutex);
  SignalSlot& slot = g_slots[signum];
  if (slot.owner != nullptr && slot.owner != this)
    throw RuntimeError("add_signal_handler: signal " + std::to_string(signum) +
                       " is already handled by another event loop");
  if (slot.owner == nullptr) {
    struct sigaction sa
    {};
    sa.sa_handler = &loopscope_on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;  // asyncio: siginterrupt(sig, False)
    g_signal_fd[signum].store(signal_pipe_[1]);
    if (::sigaction(signum, &sa, &slot.previous) < 0) {
      g_signal_fd[signum].store(-1);
      throw_errno("sigaction");
    }
    slot.owner = this;
  }
  signal_handlers_[signum] = std::make_shared<const std::function<void()>>(std::move(fn));
  std::erase(passive_signals_, signum);
  if (wakes == SignalWakes::No)
    passive_signals_.push_back(signum);
}

bool Loop::remove_signal_handler(int signum)
{
  if (signum <= 0 || signum >= kMaxSignal)
    return false;
  std::lock_guard lock(g_signal_mutex);
  SignalSlot& slot = g_slots[signum];
  if (slot.owner != this)
    return false;
  ::sigaction(signum, &slot.previous, nullptr);
  g_signal_fd[signum].store(-1);
  slot.owner = nullptr;
  signal_handlers_.erase(signum);
  std::erase(passive_signals_, signum);
  return true;
}

void Loop::remove_all_signal_handlers() noexcept
{
  std::vector<int> nums;
  for (const auto& [signum, fn] : signal_handlers_)
    nums.push_back(signum);
  for (int signum : nums)
    remove_signal_handler(signum);
  if (signal_pipe_[0] >= 0) {
    remove_reader(signal_pipe_[0]);
    ::close(signal_pipe_[0]);
    ::close(signal_pipe_[1]);
    signal_pipe_[0] = signal_pipe_[1] = -1;
  }
}

std::uint32_t signal_arrivals() noexcept
{
  return g_signal_arrivals.load(std::memory_order_acquire);
}

void Loop::run_signal_handlers_now()
{
  if (signal_pipe_[0] >= 0)
    read_signal_pipe(true);
}

void Loop::read_signal_pipe(bool now)
{
  unsigned char buf[64];
  for (;;) {
    // Run now, a handler may throw (KeyboardInterrupt): one byte at a time, so the signals after
    // it stay in the pipe for the next dispatch instead of being lost.
    const ssize_t n = ::read(signal_pipe_[0], buf, now ? 1 : sizeof buf);
    if (n <= 0)
      break;
    for (ssize_t i = 0; i < n; ++i) {
      const int signum = buf[i];
      if (tracer_.on())
        tracer_.add(EventKind::SignalReceived, event_time(), 0, 0, 0,
                    static_cast<std::uint32_t>(signum));
      auto it = signal_handlers_.find(signum);
      if (it == signal_handlers_.end())
        continue;
      if (now) {
        const auto fn = it->second;  // held: the handler may remove itself
        (*fn)();
      } else {
        // asyncio: the handler runs as a callback of its own. The handler that was installed
        // when the signal arrived handles it, unless it is removed or replaced before its turn:
        // then the callback does nothing (a Runner's handler must not run once the Runner is
        // gone, nor a new handler for a signal that came before it was installed). A burst of
        // signals read at once is a burst of these callbacks.
        call_soon([weak = std::weak_ptr<const std::function<void()>>(it->second)] {
          if (const auto fn = weak.lock())
            (*fn)();
        });
      }
    }
  }
}

// ---------------------------------------------------------------- objects and diagnostics

std::uint32_t Loop::register_object(AwaitKind kind, std::string_view label)
{
  const std::uint32_t id = next_object_id();
  if (tracer_.on()) {
    const std::uint32_t task = running_task_ != nullptr ? running_task_->id() : 0;
    tracer_.add_text(EventKind::ObjectCreated, event_time(), task, label, 0, id, 0,
                     static_cast<std::uint8_t>(kind));
  }
  return id;
}

void Loop::diagnose(DiagnosticKind kind, std::uint32_t task, std::string_view text,
                    std::uint64_t detail, std::uint32_t arg)
{
  ++diagnostics_[static_cast<std::size_t>(kind)];
  if (tracer_.on())
    tracer_.add_text(EventKind::Diagnostic, event_time(), task, text, 0, detail, arg,
                     static_cast<std::uint8_t>(kind));
}

bool Loop::wakeable_from_outside() const noexcept
{
  if (ts_pending_.load(std::memory_order_acquire) || external_.load(std::memory_order_relaxed) != 0)
    return true;
  for (const auto& [fd, watch] : fds_)
    if (fd != signal_pipe_[0])
      return true;
  for (const auto& [signum, fn] : signal_handlers_)
    if (std::find(passive_signals_.begin(), passive_signals_.end(), signum) ==
        passive_signals_.end())
      return true;
  return false;
}

std::vector<std::string> Loop::describe_waiting() const
{
  std::vector<std::string> out;
  for (TaskBase* t : all_tasks()) {
    std::string line = t->name() + ": ";
    if (t->awaiting() != AwaitKind::None)
      line += "awaiting " + std::string(await_kind_name(t->awaiting()));
    else
      line += "suspended";
    const std::source_location site = t->await_site();
    if (site.file_name() != nullptr && site.file_name()[0] != '\0') {
      line += " at " + std::string(site.file_name()) + ":" + std::to_string(site.line());
      if (site.function_name() != nullptr && site.function_name()[0] != '\0')
        line += " in " + std::string(site.function_name());
    }
    out.push_back(std::move(line));
  }
  return out;
}

void Loop::report_deadlock()
{
  // Nothing is ready, no timer is armed, no fd is watched, no thread owes us a wake-up: every
  // pending task waits for something nothing can complete any more.
  deadlock_reported_ = true;
  for (TaskBase* t : all_tasks()) {
    if (t->state() != TaskState::Suspended)
      continue;
    diagnose(DiagnosticKind::LostWakeup, t->id(),
             "Task " + t->name() + " waits (" + std::string(await_kind_name(t->awaiting())) +
                 ") for something nothing can complete any more: no timer, I/O, thread or "
                 "other task can wake it",
             t->awaiting_detail());
  }
  tracer_.flush();
}

}  // namespace loopscope::engine
