// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace loopscope::engine {

class TaskBase;

/// Python's BaseException: the root of the exceptions that are *not* ordinary errors.
///
/// The idiom this hierarchy enforces:
///  * Ordinary errors (Python's `Exception`) derive from `std::exception`. The natural C++
///    catch-all for errors, `catch (const std::exception&)`, is the `except Exception:` of Python
///    and therefore does NOT catch CancelledError, KeyboardInterrupt or SystemExit.
///  * `catch (...)` catches everything, like a bare `except:`; it must rethrow (`throw;`) or the
///    engine records a swallowed cancellation if the task had a cancel request pending.
///  * To await cleanup after a cancellation and still propagate it, keep the exception alive:
///        std::exception_ptr ep;
///        try { co_await work(); } catch (const CancelledError&) { ep = std::current_exception(); }
///        if (ep) { co_await cleanup(); std::rethrow_exception(ep); }
///    (C++ forbids co_await inside a handler.) Throwing a *new* CancelledError after the handler
///    ends also propagates, but the engine sees the delivered one destroyed first and reports a
///    swallow if the task's cancellation count is still above zero at the end of the step.
class BaseException
{
public:
  virtual ~BaseException() = default;
  virtual const char* what() const noexcept = 0;
  virtual const char* type_name() const noexcept = 0;
};

namespace detail {
/// Counts the delivered CancelledErrors of one task that are alive (every copy counts). When the
/// last one dies while the task is still running, the task is told; the loop decides at the end
/// of the step whether the cancellation was swallowed (see TaskBase::cancelling()).
struct CancelLink;
}  // namespace detail

/// asyncio.CancelledError. Thrown into a task at an await when the task is cancelled.
class CancelledError : public BaseException
{
public:
  CancelledError() = default;
  explicit CancelledError(std::string message) : message_(std::move(message)) {}
  CancelledError(const CancelledError& o);
  CancelledError(CancelledError&& o) noexcept;
  CancelledError& operator=(const CancelledError& o);
  CancelledError& operator=(CancelledError&& o) noexcept;
  ~CancelledError() override;
  const char* what() const noexcept override;
  const char* type_name() const noexcept override { return "CancelledError"; }
  /// The message passed to Task::cancel(msg) (empty when none).
  const std::string& message() const noexcept { return message_; }

private:
  friend class TaskBase;
  std::string message_;
  void bind(detail::CancelLink* link) noexcept;
  void unbind() noexcept;
  // The task it was delivered to (intrusive: no allocation per delivery); null for user-thrown
  // CancelledErrors.
  detail::CancelLink* link_ = nullptr;
};

/// Python's KeyboardInterrupt: raised by Runner on a second SIGINT. Not an ordinary error, so
/// `catch (const std::exception&)` does not catch it.
class KeyboardInterrupt : public BaseException
{
public:
  const char* what() const noexcept override { return "KeyboardInterrupt"; }
  const char* type_name() const noexcept override { return "KeyboardInterrupt"; }
};

/// Python's SystemExit: a request to end the program with `code`.
class SystemExit : public BaseException
{
public:
  explicit SystemExit(int code = 0) : code_(code), what_("exit code " + std::to_string(code)) {}
  const char* what() const noexcept override { return what_.c_str(); }
  const char* type_name() const noexcept override { return "SystemExit"; }
  int code() const noexcept { return code_; }

private:
  int code_;
  std::string what_;
};

/// Python's TimeoutError: an ordinary error (derives from std::exception).
class TimeoutError : public std::runtime_error
{
public:
  TimeoutError() : std::runtime_error("TimeoutError") {}
  explicit TimeoutError(const std::string& what, std::exception_ptr cause = nullptr)
      : std::runtime_error(what)
      , cause_(std::move(cause))
  {}
  /// `raise TimeoutError from cause`: the CancelledError a timeout scope converted.
  const std::exception_ptr& cause() const noexcept { return cause_; }

private:
  std::exception_ptr cause_;
};

/// asyncio.InvalidStateError: e.g. result() of a pending task, set_result() twice.
class InvalidStateError : public std::logic_error
{
public:
  using std::logic_error::logic_error;
};

/// Misuse of an engine API (Python raises RuntimeError): e.g. re-entering a Timeout, sleeping
/// outside a task, running a loop that is already running.
class RuntimeError : public std::runtime_error
{
public:
  using std::runtime_error::runtime_error;
};

/// Thrown by run_until_complete on a virtual-clock loop when nothing is ready, no timer is
/// pending and nothing outside the loop can wake it: the awaited task can never finish.
class LoopStalled : public RuntimeError
{
public:
  using RuntimeError::RuntimeError;
  LoopStalled(const std::string& what, std::vector<std::string> waiting)
      : RuntimeError(what)
      , waiting_(std::move(waiting))
  {}
  /// One line per pending task: "NAME: awaiting KIND at FILE:LINE in FUNCTION".
  const std::vector<std::string>& waiting() const noexcept { return waiting_; }

private:
  std::vector<std::string> waiting_;
};

/// "TypeName: message" for any exception: std::exception subclasses are demangled. An
/// ExceptionGroup gives one line per exception of its tree, sub-exceptions indented two spaces
/// per level.
std::string describe_exception(const std::exception_ptr& e);
/// Just the type name of the exception ("TimeoutError", "std::runtime_error", ...).
std::string exception_type_name(const std::exception_ptr& e);
/// True when `e` holds a KeyboardInterrupt or SystemExit: raised in a task or a callback, these
/// end the task and leave the loop (asyncio re-raises them out of run_forever).
bool is_exit_exception(const std::exception_ptr& e) noexcept;
/// True when `e` holds a CancelledError.
bool is_cancelled_error(const std::exception_ptr& e) noexcept;
/// The CancelledError held by `e`, or null. Does not rethrow when the standard library lets us
/// look inside an exception_ptr (libstdc++), since a rethrow costs about a microsecond.
const CancelledError* as_cancelled_error(const std::exception_ptr& e) noexcept;

}  // namespace loopscope::engine
