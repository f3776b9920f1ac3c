// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/task.h"

#include "engine/errors.h"
#include "engine/future.h"
#include "engine/loop.h"
#include "engine/pool.h"

#include <array>
#include <cassert>
#include <string_view>

namespace loopscope::engine {

namespace detail {

/// A user done-callback: scheduled through call_soon when the task finishes.
struct TaskCallbackNode : DoneNode
{
  TaskBase* task;
  std::function<void(TaskBase&)> fn;
  static void on_done(DoneNode* n)
  {
    auto* self = static_cast<TaskCallbackNode*>(n);
    TaskRef<TaskBase> keep(self->task);
    self->task->loop().call_soon([keep, fn = std::move(self->fn)] { fn(*keep); });
    delete self;
  }
  static void on_drop(DoneNode* n) { delete static_cast<TaskCallbackNode*>(n); }
};

void mark_root_finished(TaskBase* t) noexcept
{
  t->root_finished_ = true;
}

}  // namespace detail

std::string_view task_state_name(TaskState s) noexcept
{
  constexpr std::array<std::string_view, 7> kNames = {"pending", "ready",  "running",  "suspended",
                                                      "done",    "failed", "cancelled"};
  static_assert(kNames.size() == static_cast<std::size_t>(TaskState::Cancelled) + 1,
                "every TaskState needs a name");
  const auto i = static_cast<std::size_t>(s);
  return i < kNames.size() ? kNames[i] : std::string_view("?");
}

TaskBase::TaskBase(Loop& loop, std::string name, std::source_location created)
    : loop_(&loop)
    , created_(created)
{
  ++detail::t_live_tasks;
  if (!name.empty()) {
    extras().name = std::move(name);
    extras_->named = true;
  }
}

TaskBase::~TaskBase()
{
  --detail::t_live_tasks;
  if (state_ == TaskState::Failed && extras_ && !extras_->retrieved && Loop::current() == loop_) {
    // asyncio logs this when the task is garbage-collected: a fire-and-forget task failed and
    // nobody ever looked.
    const std::string what = describe_exception(extras_->exception);
    loop_->diagnose(DiagnosticKind::UnretrievedException, id_,
                    "Task exception was never retrieved: " + name() + " raised " + what);
    loop_->report_exception("Task exception was never retrieved (" + name() + ")",
                            extras_->exception);
  }
  if (extras_ && extras_->cancel_link != nullptr) {
    // Errors that outlive the task must not call into it; the last of them frees the link.
    detail::CancelLink* link = std::exchange(extras_->cancel_link, nullptr);
    link->task = nullptr;
    if (link->live == 0)
      delete link;
  }
  // Awaiters unlink themselves when their frames go; what can remain are user callbacks of a task
  // that never finished (its loop was destroyed): free them.
  done_list_.drop_all();
}

std::string TaskBase::name() const
{
  return extras_ && extras_->named ? extras_->name : "Task-" + std::to_string(id_);
}

void TaskBase::set_name(std::string name)
{
  extras().name = std::move(name);
  extras_->named = true;
  detail::Tracer& tr = loop_->tracer();
  if (tr.on())
    tr.add_text(EventKind::TaskRenamed, loop_->event_time(), id_, extras_->name);
}

bool TaskBase::cancel(std::string_view msg)
{
  return cancel(msg, CancelSource::User);
}

bool TaskBase::cancel(std::string_view msg, CancelSource source)
{
  if (done())
    return false;
  ++num_cancels_requested_;
  emit_cancel_request(source, msg);
  if (wait_.ops != nullptr) {
    // Cancel what we await; the wait stays registered (an awaited task may ignore the cancel, so
    // a later cancel() must be able to reach it again).
    if (wait_.cancel(*this, msg))
      return true;
  }
  must_cancel_ = true;
  // A wake-up already carrying a cancellation keeps its message (CPython delivers the awaited
  // future's CancelledError, not this later request's).
  if (!deliver_cancel_)
    set_cancel_message(msg);
  return true;
}

TaskBase::Extras& TaskBase::extras()
{
  if (!extras_)
    extras_ = std::make_unique<Extras>();
  return *extras_;
}

void TaskBase::set_cancel_message(std::string_view msg)
{
  if (msg.empty() && !extras_)
    return;
  extras().cancel_msg = msg;
}

void* TaskBase::operator new(std::size_t size)
{
  return detail::pool_alloc(size);
}
void TaskBase::operator delete(void* p, std::size_t size) noexcept
{
  detail::pool_free(p, size);
}

void TaskBase::emit_cancel_request(CancelSource source, std::string_view msg)
{
  detail::Tracer& tr = loop_->tracer();
  if (!tr.on())
    return;
  TaskBase* by = loop_->current_task();
  tr.add_text(EventKind::CancelRequested, loop_->event_time(), id_, msg, 0,
              by != nullptr ? by->id_ : 0, static_cast<std::uint32_t>(num_cancels_requested_),
              static_cast<std::uint8_t>(source));
}

int TaskBase::uncancel()
{
  if (num_cancels_requested_ > 0) {
    --num_cancels_requested_;
    if (num_cancels_requested_ == 0)
      must_cancel_ = false;
  }
  detail::Tracer& tr = loop_->tracer();
  if (tr.on())
    tr.add(EventKind::Uncancel, loop_->event_time(), id_, 0, 0,
           static_cast<std::uint32_t>(num_cancels_requested_));
  return num_cancels_requested_;
}

std::exception_ptr TaskBase::exception() const
{
  if (cancelled())
    throw CancelledError(cancel_message());
  if (!done())
    throw InvalidStateError("Exception is not set.");
  mark_retrieved();
  return failure();
}

std::exception_ptr TaskBase::cancelled_error() const
{
  if (extras_ && extras_->cancelled_error)
    return extras_->cancelled_error;
  return std::make_exception_ptr(CancelledError(cancel_message()));
}

const std::exception_ptr& TaskBase::failure() const noexcept
{
  static const std::exception_ptr none;
  return extras_ ? extras_->exception : none;
}

namespace {
// True for a site inside the engine's own implementation (queue.h, sync.cpp, ...), where an
// awaiting helper coroutine suspends on behalf of its caller. The built-in scenarios live in
// the same folder but are user code.
bool is_engine_internal(const char* file) noexcept
{
  static const std::string_view dir = [] {
    const std::string_view self(std::source_location::current().file_name());
    const std::size_t slash = self.rfind('/');
    return slash == std::string_view::npos ? std::string_view() : self.substr(0, slash + 1);
  }();
  // Sites are string literals: remember the last answer per pointer (one loop per thread).
  thread_local const char* last_file = nullptr;
  thread_local bool last_answer = false;
  if (file == last_file)
    return last_answer;
  const std::string_view f(file);
  last_file = file;
  last_answer = !dir.empty() && f.size() > dir.size() && f.substr(0, dir.size()) == dir &&
                f.substr(dir.size()).rfind("scenarios", 0) != 0;
  return last_answer;
}
}  // namespace

std::source_location TaskBase::await_site() const noexcept
{
  if (frame_ == nullptr)
    return {};
  // The innermost frame outside the engine: `co_await queue.get()` is reported at the caller's
  // line, not at the helper's internal wait (asyncio's traceback shows both; a single site
  // should be the user's).
  for (const detail::PromiseBase* p = frame_; p != nullptr; p = p->parent) {
    if (!is_engine_internal(detail::site_of(p).file_name()))
      return detail::site_of(p);
  }
  return detail::site_of(frame_);
}

const std::string& TaskBase::cancel_message() const noexcept
{
  static const std::string empty;
  return extras_ ? extras_->cancel_msg : empty;
}

void TaskBase::add_done_callback(std::function<void(TaskBase&)> fn)
{
  auto* node = new detail::TaskCallbackNode;
  node->fire = &detail::TaskCallbackNode::on_done;
  node->drop = &detail::TaskCallbackNode::on_drop;
  node->task = this;
  node->fn = std::move(fn);
  if (done())
    node->fire(node);
  else
    done_list_.push_back(node);
}

void TaskBase::mark_wake_delivers_cancel(std::string_view msg)
{
  deliver_cancel_ = true;
  set_cancel_message(msg);
}

CancelledError TaskBase::take_delivery()
{
  deliver_cancel_ = false;
  return make_cancelled(cancel_message(), CancelVia::Direct, 0);
}

CancelledError TaskBase::make_cancelled(std::string msg, CancelVia via, std::uint32_t from)
{
  CancelledError err(std::move(msg));
  detail::CancelLink*& link = extras().cancel_link;
  if (link == nullptr)
    link = new detail::CancelLink(this);
  err.bind(link);
  detail::Tracer& tr = loop_->tracer();
  if (tr.on()) {
    extras_->delivered_site = tr.site_id(loop_->step_site(), loop_->last_ns());
    tr.add_text(EventKind::CancelDelivered, loop_->last_ns(), id_, err.message(),
                extras_->delivered_site, from, static_cast<std::uint32_t>(num_cancels_requested_),
                static_cast<std::uint8_t>(via));
  }
  return err;
}

void CancelledError::bind(detail::CancelLink* link) noexcept
{
  link_ = link;
  ++link_->live;
}

void CancelledError::unbind() noexcept
{
  detail::CancelLink* link = std::exchange(link_, nullptr);
  if (link == nullptr || --link->live > 0)
    return;
  // Only when no delivered error is left: a task may keep its own CancelledError for re-raising
  // while it catches a child's one.
  if (link->task != nullptr)
    link->task->on_cancel_error_released();
  else
    delete link;
}

CancelledError::CancelledError(const CancelledError& o) : BaseException(o), message_(o.message_)
{
  if (o.link_ != nullptr)
    bind(o.link_);
}

CancelledError::CancelledError(CancelledError&& o) noexcept
    : BaseException(o)
    , message_(std::move(o.message_))
    , link_(std::exchange(o.link_, nullptr))
{}

CancelledError& CancelledError::operator=(const CancelledError& o)
{
  if (this != &o) {
    message_ = o.message_;
    unbind();
    if (o.link_ != nullptr)
      bind(o.link_);
  }
  return *this;
}

CancelledError& CancelledError::operator=(CancelledError&& o) noexcept
{
  if (this != &o) {
    message_ = std::move(o.message_);
    unbind();
    link_ = std::exchange(o.link_, nullptr);
  }
  return *this;
}

CancelledError::~CancelledError()
{
  unbind();
}

void TaskBase::on_cancel_error_released() noexcept
{
  // Decided at the end of the step (Loop::run_task_step): the handler may still call uncancel().
  if (!done())
    swallow_suspect_ = true;
}

}  // namespace loopscope::engine

namespace loopscope::engine::detail {

namespace {
struct FutureCallbackNode : DoneNode
{
  FutureBase* future;
  std::function<void()> fn;
  static void on_done(DoneNode* n)
  {
    auto* self = static_cast<FutureCallbackNode*>(n);
    self->future->loop().call_soon(std::move(self->fn));
    delete self;
  }
  static void on_drop(DoneNode* n) { delete static_cast<FutureCallbackNode*>(n); }
};
}  // namespace

void FutureBase::report_lost_wakeup()
{
  try {
    for (DoneNode* n = done_.front(); n != nullptr; n = n->next) {
      if (n->task == nullptr)
        continue;
      loop_->diagnose(DiagnosticKind::LostWakeup, n->task->id(),
                      "Task " + n->task->name() + " awaits future #" + std::to_string(id_) +
                          ", but the last handle that could complete it was just dropped: it "
                          "will never wake up",
                      id_);
    }
  } catch (...) {
    // A diagnostic must never take the program down (this runs in a destructor).
  }
}

void FutureBase::add_done_callback(std::function<void()> fn)
{
  auto* node = new FutureCallbackNode;
  node->fire = &FutureCallbackNode::on_done;
  node->drop = &FutureCallbackNode::on_drop;
  node->future = this;
  node->fn = std::move(fn);
  if (done())
    node->fire(node);
  else
    done_.push_back(node);
}

}  // namespace loopscope::engine::detail
