// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/completion.h"
#include "engine/coro.h"
#include "engine/errors.h"
#include "engine/loop.h"
#include "engine/task.h"

#include <array>
#include <cstddef>
#include <exception>
#include <optional>
#include <source_location>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace loopscope::engine {

/// How one child of `gather(return_exceptions, ...)` ended: its value, or the exception it
/// raised — a CancelledError (carrying the child's cancel message) when it was cancelled. This
/// is Python's "the exception object in place of the result".
template <class T>
class Outcome
{
public:
  static Outcome success(T value)
  {
    Outcome o;
    o.value_.emplace(std::move(value));
    return o;
  }
  static Outcome failure(std::exception_ptr e)
  {
    Outcome o;
    o.error_ = std::move(e);
    return o;
  }

  /// True for a value.
  bool ok() const noexcept { return !error_; }
  explicit operator bool() const noexcept { return ok(); }
  /// True when the child was cancelled (the exception is a CancelledError).
  bool cancelled() const noexcept { return is_cancelled_error(error_); }
  /// The exception, null for a value.
  const std::exception_ptr& exception() const noexcept { return error_; }
  /// The value; rethrows the exception instead when there is one.
  const T& value() const&
  {
    if (error_)
      std::rethrow_exception(error_);
    return *value_;
  }
  T&& value() &&
  {
    if (error_)
      std::rethrow_exception(error_);
    return std::move(*value_);
  }

private:
  Outcome() = default;
  std::exception_ptr error_;
  std::optional<T> value_;
};

template <>
class Outcome<void>
{
public:
  static Outcome success() { return Outcome(); }
  static Outcome failure(std::exception_ptr e)
  {
    Outcome o;
    o.error_ = std::move(e);
    return o;
  }
  bool ok() const noexcept { return !error_; }
  explicit operator bool() const noexcept { return ok(); }
  bool cancelled() const noexcept { return is_cancelled_error(error_); }
  const std::exception_ptr& exception() const noexcept { return error_; }
  void value() const
  {
    if (error_)
      std::rethrow_exception(error_);
  }

private:
  std::exception_ptr error_;
};

/// Tag for gather's `return_exceptions=True`: `gather(return_exceptions, a, b)`.
struct ReturnExceptions
{
  explicit ReturnExceptions() = default;
};
inline constexpr ReturnExceptions return_exceptions{};

/// The value a gathered child contributes: T, or std::monostate for a void child.
template <class T>
using gather_value_t = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

namespace detail {

template <class A>
struct awaited_type;
template <class T>
struct awaited_type<Task<T>>
{
  using type = T;
};
template <class T>
struct awaited_type<Coro<T>>
{
  using type = T;
};
/// T of a Task<T> or Coro<T> argument.
template <class A>
using awaited_t = typename awaited_type<std::remove_cvref_t<A>>::type;

template <class T>
struct is_task : std::false_type
{};
template <class T>
struct is_task<Task<T>> : std::true_type
{};

template <class A>
concept Gatherable =
    is_coro<std::remove_cvref_t<A>>::value || is_task<std::remove_cvref_t<A>>::value;

/// ensure_future: a Task is taken as it is; a coroutine becomes a new task of `loop`.
template <class A>
Task<awaited_t<A>> ensure_task(Loop& loop, A&& a, const std::source_location& loc)
{
  if constexpr (is_coro<std::remove_cvref_t<A>>::value) {
    static_assert(std::is_rvalue_reference_v<A&&>, "pass a Coro to gather as an rvalue: f()");
    return loop.create_task(std::move(a), {}, loc);
  } else {
    return a;
  }
}

/// The loop of the first Task argument, else the running loop (coroutines only).
template <class... A>
Loop& gather_loop(const A&... aws)
{
  Loop* loop = nullptr;
  [[maybe_unused]] auto pick = [&loop](const auto& a) {
    if constexpr (!is_coro<std::remove_cvref_t<decltype(a)>>::value) {
      if (loop == nullptr && a)
        loop = &a.base().loop();
    }
  };
  (pick(aws), ...);
  return loop != nullptr ? *loop : Loop::running();
}

/// A finished child as a value (copied out of the task; void children give std::monostate).
template <class T>
gather_value_t<T> child_value(const Task<T>& t)
{
  if constexpr (std::is_void_v<T>)
    return std::monostate{};
  else
    return t.result();
}
/// A finished child as an Outcome: its value, its exception, or CancelledError(its message).
template <class T>
engine::Outcome<T> child_outcome(const Task<T>& t)
{
  if (t.cancelled())
    return engine::Outcome<T>::failure(t.base().cancelled_error());
  if (const std::exception_ptr& e = t.base().failure())
    return engine::Outcome<T>::failure(e);
  if constexpr (std::is_void_v<T>)
    return engine::Outcome<T>::success();
  else
    return engine::Outcome<T>::success(t.result());
}

/// asyncio's _GatheringFuture: the outer future, completed by the children's done nodes.
///
/// Per child done (asyncio gather's _done_callback): without return_exceptions, a cancelled
/// child ends the gather with CancelledError(child's message) and a failed one with its
/// exception, at once — the other children keep running. When the last child is done: if the
/// gather was cancelled (cancel() reached at least one child) it ends with CancelledError
/// whatever return_exceptions says; otherwise collect() builds the results in argument order.
/// cancel() cancels every unfinished child; the gather itself completes only through them.
class GatherCore : public Completion
{
public:
  GatherCore(Loop& loop, std::size_t n, bool return_exceptions);
  ~GatherCore() override;

  /// _GatheringFuture.cancel(msg): false if done or no child could be cancelled.
  bool cancel(std::string_view msg, CancelSource source) override;

protected:
  /// Links a node to every pending child, then handles the children already done (in order).
  void start(TaskBase* const* children);
  /// All children are done and the gather is not cancelled: store the results.
  virtual void collect() = 0;

private:
  using Node = ChildNode<GatherCore>;
  static void on_child_done(DoneNode* n);
  void child_done(TaskBase& child);

  std::vector<Node> nodes_;
  std::size_t finished_ = 0;
  bool return_exceptions_;
  bool cancel_requested_ = false;
};

/// A gather with its result slot.
template <class R>
class GatherOf : public GatherCore
{
public:
  using GatherCore::GatherCore;
  std::optional<R> result;
};

template <class R, class Children, bool Outcomes>
class GatherState final : public GatherOf<R>
{
public:
  GatherState(Loop& loop, Children children)
      : GatherOf<R>(loop, std::tuple_size_v<Children>, Outcomes)
      , children_(std::move(children))
  {
    std::apply([this](const auto&... t) { ptrs_ = {&t.base()...}; }, children_);
  }
  void start() { GatherCore::start(ptrs_.data()); }

private:
  void collect() override
  {
    std::apply(
        [this](const auto&... t) {
          if constexpr (Outcomes)
            this->result.emplace(child_outcome(t)...);
          else
            this->result.emplace(child_value(t)...);
        },
        children_);
  }
  Children children_;
  std::array<TaskBase*, std::tuple_size_v<Children>> ptrs_{};
};

template <class T, bool Outcomes>
class VectorGatherState final
    : public GatherOf<
          std::vector<std::conditional_t<Outcomes, engine::Outcome<T>, gather_value_t<T>>>>
{
public:
  using R = std::vector<std::conditional_t<Outcomes, engine::Outcome<T>, gather_value_t<T>>>;
  VectorGatherState(Loop& loop, std::vector<Task<T>> children)
      : GatherOf<R>(loop, children.size(), Outcomes)
      , children_(std::move(children))
  {
    ptrs_.reserve(children_.size());
    for (const Task<T>& t : children_)
      ptrs_.push_back(&t.base());
  }
  void start() { GatherCore::start(ptrs_.data()); }

private:
  void collect() override
  {
    R out;
    out.reserve(children_.size());
    for (const Task<T>& t : children_) {
      if constexpr (Outcomes)
        out.push_back(child_outcome(t));
      else
        out.push_back(child_value(t));
    }
    this->result.emplace(std::move(out));
  }
  std::vector<Task<T>> children_;
  std::vector<TaskBase*> ptrs_;
};

template <class R>
struct GatherAwaiter : CompletionAwaiter<GatherOf<R>>
{
  using CompletionAwaiter<GatherOf<R>>::CompletionAwaiter;
  R await_resume()
  {
    this->c->rethrow_outcome();
    // Awaited through a temporary gather (the usual `co_await gather(...)`): nobody else can
    // read the result, so it is moved out.
    if (this->c->unique())
      return std::move(*this->c->result);
    return *this->c->result;
  }
};

}  // namespace detail

/// The outer future of gather() (asyncio's _GatheringFuture): awaitable (by several tasks, each
/// getting a copy of the result), cancellable, and inspectable. Cheap to copy; loop-thread only.
template <class R>
class Gather
{
public:
  using value_type = R;
  explicit Gather(detail::CompletionRef<detail::GatherOf<R>> s) : s_(std::move(s)) {}

  /// Id of the gather's future (the `detail` of a Suspended event of a task awaiting it).
  std::uint32_t id() const noexcept { return s_->id(); }
  bool done() const noexcept { return s_->done(); }
  /// True when the gather ended with CancelledError (a child was cancelled, or the gather).
  bool cancelled() const noexcept { return s_->cancelled(); }
  /// Cancels every unfinished child (CancelSource::User); the gather then ends with
  /// CancelledError once its children have reacted. False if done or no child was cancellable.
  bool cancel(std::string_view msg = {}) { return s_->cancel(msg, CancelSource::User); }
  /// The results; rethrows the exception the gather ended with; CancelledError if cancelled;
  /// InvalidStateError while pending.
  const R& result() const
  {
    if (!s_->done())
      throw InvalidStateError("Result is not set.");
    if (s_->cancelled())
      throw CancelledError(s_->cancel_message());
    if (s_->error())
      std::rethrow_exception(s_->error());
    return *s_->result;
  }

  /// Suspends the awaiting task until the gather is done (AwaitKind::Future, detail = id()).
  /// Cancelling the awaiting task cancels the gather, i.e. every unfinished child.
  detail::GatherAwaiter<R> operator co_await() const& { return detail::GatherAwaiter<R>(s_); }
  detail::GatherAwaiter<R> operator co_await() &&
  {
    return detail::GatherAwaiter<R>(std::move(s_));
  }

private:
  detail::CompletionRef<detail::GatherOf<R>> s_;
};

namespace detail {
template <bool Outcomes, class... A>
auto make_gather(A&&... aws)
{
  using R = std::conditional_t<Outcomes, std::tuple<engine::Outcome<awaited_t<A>>...>,
                               std::tuple<gather_value_t<awaited_t<A>>...>>;
  using Children = std::tuple<Task<awaited_t<A>>...>;
  Loop& loop = gather_loop(aws...);
  [[maybe_unused]] const auto loc = std::source_location::current();
  // Braced init: the children are created (coroutines wrapped in tasks) in argument order.
  Children children{ensure_task(loop, std::forward<A>(aws), loc)...};
  auto* state = new GatherState<R, Children, Outcomes>(loop, std::move(children));
  CompletionRef<GatherOf<R>> ref(state);
  state->start();
  return Gather<R>(std::move(ref));
}

template <bool Outcomes, class T>
auto make_vector_gather(Loop& loop, std::vector<Task<T>> tasks)
{
  auto* state = new VectorGatherState<T, Outcomes>(loop, std::move(tasks));
  using R = typename VectorGatherState<T, Outcomes>::R;
  CompletionRef<GatherOf<R>> ref(state);
  state->start();
  return Gather<R>(std::move(ref));
}

template <class T>
std::vector<Task<T>> tasks_of(std::vector<Coro<T>>&& coros, Loop& loop,
                              const std::source_location& loc)
{
  std::vector<Task<T>> tasks;
  tasks.reserve(coros.size());
  for (Coro<T>& c : coros)
    tasks.push_back(loop.create_task(std::move(c), {}, loc));
  return tasks;
}
template <class T>
Loop& vector_loop(const std::vector<Task<T>>& tasks)
{
  return tasks.empty() ? Loop::running() : tasks.front().base().loop();
}
}  // namespace detail

/// asyncio.gather(*aws): runs the children concurrently and, awaited, returns their results in
/// argument order as a std::tuple (std::monostate for a void child).
///
///     auto [a, b, _] = co_await gather(fetch(1), fetch_task, log_line());
///
/// Each argument is a Task<T> or a Coro<T> (an rvalue); a coroutine is wrapped in a new task
/// right here (ensure_future), so every child is scheduled before gather() returns — the call
/// is eager, as in Python; awaiting only waits. If a child fails, awaiting the gather raises that
/// exception at once and the other children keep running (nothing is cancelled). A cancelled
/// child makes the gather raise CancelledError. Cancelling the awaiting task (or Gather::cancel)
/// cancels every unfinished child, and the gather then raises CancelledError.
template <class... A>
requires(detail::Gatherable<A>&&...) auto gather(A&&... aws)
{
  return detail::make_gather<false>(std::forward<A>(aws)...);
}

/// asyncio.gather(*aws, return_exceptions=True): never raises for a child; returns a tuple of
/// Outcome<T>, each holding the child's value or exception (CancelledError for a cancelled
/// child). Only a cancelled gather (or a cancelled awaiting task) raises CancelledError.
///
///     auto [a, b] = co_await gather(return_exceptions, fetch(1), fetch(2));
///     if (!a) log(describe_exception(a.exception()));
template <class... A>
requires(detail::Gatherable<A>&&...) auto gather(ReturnExceptions, A&&... aws)
{
  return detail::make_gather<true>(std::forward<A>(aws)...);
}

/// gather over a homogeneous list: the results as a std::vector in the tasks' order.
///     std::vector<int> v = co_await gather(std::move(tasks));
template <class T>
Gather<std::vector<gather_value_t<T>>> gather(std::vector<Task<T>> tasks)
{
  Loop& loop = detail::vector_loop(tasks);
  return detail::make_vector_gather<false>(loop, std::move(tasks));
}
template <class T>
Gather<std::vector<gather_value_t<T>>> gather(
    std::vector<Coro<T>> coros, std::source_location loc = std::source_location::current())
{
  Loop& loop = Loop::running();
  return detail::make_vector_gather<false>(loop, detail::tasks_of(std::move(coros), loop, loc));
}
/// return_exceptions form over a list: std::vector<Outcome<T>>.
template <class T>
Gather<std::vector<Outcome<T>>> gather(ReturnExceptions, std::vector<Task<T>> tasks)
{
  Loop& loop = detail::vector_loop(tasks);
  return detail::make_vector_gather<true>(loop, std::move(tasks));
}
template <class T>
Gather<std::vector<Outcome<T>>> gather(ReturnExceptions, std::vector<Coro<T>> coros,
                                       std::source_location loc = std::source_location::current())
{
  Loop& loop = Loop::running();
  return detail::make_vector_gather<true>(loop, detail::tasks_of(std::move(coros), loop, loc));
}

}  // namespace loopscope::engine
