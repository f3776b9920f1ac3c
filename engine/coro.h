// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/errors.h"
#include "engine/pool.h"
#include "engine/taskbase.h"

#include <concepts>
#include <coroutine>
#include <exception>
#include <optional>
#include <source_location>
#include <type_traits>
#include <utility>
#include <variant>

namespace loopscope::engine {

template <class T = void>
class Coro;

namespace detail {

template <class T>
struct Capture;
struct Raise;
template <class T>
struct is_capture;

template <class T>
struct is_coro : std::false_type
{};
template <class T>
struct is_coro<Coro<T>> : std::true_type
{};

/// Engine awaiters declare `using is_engine_awaiter = void;`. Only they know how to wake a task
/// and how to cancel its wait; awaiting anything else inside a task would suspend it forever.
template <class A>
concept EngineAwaiter = requires
{
  typename A::is_engine_awaiter;
};

template <class A>
decltype(auto) get_awaiter(A&& a)
{
  if constexpr (requires { std::forward<A>(a).operator co_await(); })
    return std::forward<A>(a).operator co_await();
  else
    return std::forward<A>(a);
}

struct PromiseBase;
const std::source_location& site_of(const PromiseBase* p) noexcept;

/// `co_await at_site(aw, loc)`: awaits `aw` with `loc` recorded as the await site instead of the
/// C++ line of the co_await (the script interpreter passes the script's line).
template <class A>
struct AtSite
{
  A aw;
  std::source_location loc;
};
template <class T>
struct is_at_site : std::false_type
{};
template <class A>
struct is_at_site<AtSite<A>> : std::true_type
{};

/// Wraps every await inside a Coro: records the await site and innermost frame on the task before
/// it suspends, and on resumption first delivers a pending CancelledError (asyncio's
/// coro.throw(CancelledError) at the await the task resumes from).
template <class Aw>
struct SiteAwaiter
{
  Aw aw;  // nothing else: this lives in every suspended frame

  bool await_ready() { return aw.await_ready(); }
  template <class P>
  auto await_suspend(std::coroutine_handle<P> h)
  {
    TaskBase* t = current_task();
    if (t == nullptr)
      throw RuntimeError("engine awaitables must be awaited inside a task");
    // The awaiting frame's promise holds this await's location (set by await_transform).
    PromiseBase& frame = h.promise();
    t->note_suspend(h);
    t->set_innermost_frame(&frame);
    return aw.await_suspend(h);
  }
  decltype(auto) await_resume()
  {
    if (TaskBase* t = current_task())
      t->check_cancel_on_resume();
    return aw.await_resume();
  }
};

/// State shared by every Coro promise. Coroutine frames come from the engine pool (the promise's
/// operator new, from PoolAllocated).
struct PromiseBase : PoolAllocated
{
  std::coroutine_handle<> continuation{};  ///< the awaiting frame; null for a task's root
  PromiseBase* parent = nullptr;           ///< the awaiting frame's promise (await chain)
  TaskBase* task = nullptr;                ///< set on a task's root frame only
  std::exception_ptr exception{};
  std::source_location site{};  ///< where this frame awaits now (or last did)

  std::suspend_always initial_suspend() const noexcept { return {}; }

  struct FinalAwaiter
  {
    bool await_ready() const noexcept { return false; }
    template <class P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) noexcept
    {
      PromiseBase& p = h.promise();
      // A nested coroutine resumes its awaiter directly (symmetric transfer, no loop hop); a
      // task's root returns control to the loop, which collects the result.
      if (p.continuation)
        return p.continuation;
      if (p.task != nullptr)
        mark_root_finished(p.task);
      return std::noop_coroutine();
    }
    void await_resume() const noexcept {}
  };
  FinalAwaiter final_suspend() const noexcept { return {}; }
  void unhandled_exception() noexcept { exception = std::current_exception(); }

  template <class A>
  decltype(auto) await_transform(A&& a, std::source_location loc = std::source_location::current())
  {
    if constexpr (is_at_site<std::remove_cvref_t<A>>::value) {
      return await_transform(std::move(a.aw), a.loc);
    } else {
      return await_plain(std::forward<A>(a), loc);
    }
  }

  template <class A>
  decltype(auto) await_plain(A&& a, std::source_location loc)
  {
    site = loc;
    if constexpr (is_coro<std::remove_cvref_t<A>>::value ||
                  is_capture<std::remove_cvref_t<A>>::value ||
                  std::is_same_v<std::remove_cvref_t<A>, Raise>) {
      static_assert(std::is_rvalue_reference_v<A&&>, "await a Coro as an rvalue: co_await f()");
      return std::forward<A>(a).operator co_await();
    } else {
      using Aw = std::remove_cvref_t<decltype(get_awaiter(std::forward<A>(a)))>;
      static_assert(EngineAwaiter<Aw>,
                    "only engine awaitables (sleep, Task, Future, Coro, timeout, ...) can be "
                    "awaited inside a task: nothing else knows how to wake it");
      return SiteAwaiter<Aw>{get_awaiter(std::forward<A>(a))};
    }
  }
};

inline const std::source_location& site_of(const PromiseBase* p) noexcept
{
  return p->site;
}

template <class T>
struct ResultStorage
{
  std::optional<T> value;
  template <class U = T>
  requires std::convertible_to<U&&, T>
  void return_value(U&& v) { value.emplace(std::forward<U>(v)); }
  T take() { return std::move(*value); }
};
template <>
struct ResultStorage<void>
{
  void return_void() const noexcept {}
  void take() const noexcept {}
};

}  // namespace detail

/// A lazily started coroutine: the C++ form of `async def`. Calling a Coro-returning function
/// runs nothing. `co_await f()` inside a task runs f inline in the *same* task (like awaiting a
/// coroutine in Python: no loop hop, no new task) and resumes the caller by symmetric transfer
/// when f finishes. `create_task(f())` runs it as a separate task.
template <class T>
class [[nodiscard]] Coro
{
public:
  using value_type = T;
  struct promise_type : detail::PromiseBase, detail::ResultStorage<T>
  {
    Coro get_return_object() noexcept
    {
      return Coro(std::coroutine_handle<promise_type>::from_promise(*this));
    }
  };
  using Handle = std::coroutine_handle<promise_type>;

  Coro() = default;
  Coro(Coro&& o) noexcept : h_(std::exchange(o.h_, nullptr)) {}
  Coro& operator=(Coro&& o) noexcept
  {
    if (this != &o) {
      reset();
      h_ = std::exchange(o.h_, nullptr);
    }
    return *this;
  }
  Coro(const Coro&) = delete;
  Coro& operator=(const Coro&) = delete;
  ~Coro() { reset(); }

  explicit operator bool() const noexcept { return static_cast<bool>(h_); }
  /// Hands the frame over (to a task).
  Handle release() noexcept { return std::exchange(h_, nullptr); }

  struct Awaiter
  {
    Handle h;
    bool await_ready() const noexcept { return false; }
    template <class P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> caller) noexcept
    {
      h.promise().continuation = caller;
      h.promise().parent = &caller.promise();
      return h;  // run the callee now, in this task
    }
    T await_resume()
    {
      auto& p = h.promise();
      if (p.exception)
        std::rethrow_exception(p.exception);
      return p.take();
    }
  };
  Awaiter operator co_await() && noexcept { return Awaiter{h_}; }

private:
  explicit Coro(Handle h) noexcept : h_(h) {}
  void reset() noexcept
  {
    if (h_)
      h_.destroy();
    h_ = nullptr;
  }
  Handle h_{};
};

namespace detail {

/// The outcome of a coroutine, for engine code that must inspect an exception without paying
/// for a rethrow (about 1 us each).
template <class T>
struct Outcome
{
  std::exception_ptr error;
  [[no_unique_address]] std::conditional_t<std::is_void_v<T>, std::monostate, std::optional<T>>
      value{};
};

/// `co_await capture(coro)`: runs coro inline like `co_await coro`, but returns its Outcome
/// instead of rethrowing its exception.
template <class T>
struct CaptureAwaiter : Coro<T>::Awaiter
{
  Outcome<T> await_resume()
  {
    auto& p = this->h.promise();
    Outcome<T> out;
    if (p.exception)
      out.error = std::exchange(p.exception, nullptr);
    else if constexpr (!std::is_void_v<T>)
      out.value.emplace(p.take());
    return out;
  }
};
template <class T>
struct Capture
{
  Coro<T> coro;
  CaptureAwaiter<T> operator co_await() && noexcept
  {
    return CaptureAwaiter<T>{std::move(coro).operator co_await()};
  }
};
template <class T>
Capture<T> capture(Coro<T>&& c)
{
  return Capture<T>{std::move(c)};
}

/// `co_await raise(e)`: finishes the current coroutine with exception `e` without throwing it
/// here: the awaiter (or the task) sees it as if it had propagated out of the body. The frame
/// stays suspended at this point and is destroyed by its owner like any finished frame.
struct RaiseAwaiter
{
  std::exception_ptr error;
  bool await_ready() const noexcept { return false; }
  template <class P>
  std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) noexcept
  {
    PromiseBase& p = h.promise();
    p.exception = std::move(error);
    return PromiseBase::FinalAwaiter{}.await_suspend(h);
  }
  void await_resume() const noexcept {}
};
struct Raise
{
  std::exception_ptr error;
  RaiseAwaiter operator co_await() && noexcept { return RaiseAwaiter{std::move(error)}; }
};
inline Raise raise(std::exception_ptr e)
{
  return Raise{std::move(e)};
}

template <class T>
struct is_capture : std::false_type
{};
template <class T>
struct is_capture<Capture<T>> : std::true_type
{};

}  // namespace detail

/// Awaits `aw` with `loc` as its await site (see detail::AtSite).
template <class A>
detail::AtSite<std::remove_cvref_t<A>> at_site(A&& aw, std::source_location loc)
{
  return {std::forward<A>(aw), loc};
}

}  // namespace loopscope::engine
