// SPDX-License-Identifier: GPL-3.0-or-later
// The futures behind gather, shield, wait and as_completed, and ExceptionGroup.
#include "engine/completion.h"
#include "engine/exceptiongroup.h"
#include "engine/gather.h"
#include "engine/shield.h"
#include "engine/wait.h"

#include <stdexcept>

namespace loopscope::engine {

// ---------------------------------------------------------------- ExceptionGroup

ExceptionGroup::ExceptionGroup(std::string message, std::vector<std::exception_ptr> exceptions)
    : message_(std::move(message))
    , exceptions_(std::move(exceptions))
{
  if (exceptions_.empty())
    throw std::invalid_argument("second argument (exceptions) must be a non-empty sequence");
  for (const std::exception_ptr& e : exceptions_)
    if (!e)
      throw std::invalid_argument("ExceptionGroup: null sub-exception");
  const std::size_t n = exceptions_.size();
  what_ = message_ + " (" + std::to_string(n) + (n == 1 ? " sub-exception)" : " sub-exceptions)");
}

std::vector<std::exception_ptr> ExceptionGroup::leaves() const
{
  std::vector<std::exception_ptr> out;
  for (const std::exception_ptr& e : exceptions_) {
    try {
      std::rethrow_exception(e);
    } catch (const ExceptionGroup& g) {
      std::vector<std::exception_ptr> inner = g.leaves();
      out.insert(out.end(), inner.begin(), inner.end());
    } catch (...) {
      out.push_back(e);
    }
  }
  return out;
}

namespace detail {

// ---------------------------------------------------------------- Completion

Completion::Completion(Loop& loop, std::string_view label)
    : loop_(&loop)
    , id_(loop.tracing() ? loop.register_object(AwaitKind::Future, label) : loop.next_object_id())
{}

bool Completion::cancel(std::string_view msg, CancelSource)
{
  if (done())
    return false;
  set_cancelled(msg);
  return true;
}

void Completion::finish(State s)
{
  state_ = s;
  waiters_.fire_all();
}

void Completion::set_done()
{
  if (!done())
    finish(State::Done);
}

void Completion::set_exception(std::exception_ptr e)
{
  if (done())
    return;
  error_ = std::move(e);
  finish(State::Failed);
}

void Completion::set_cancelled(std::string_view msg)
{
  if (done())
    return;
  cancel_msg_ = msg;
  finish(State::Cancelled);
}

void Completion::rethrow_outcome() const
{
  if (cancelled()) {
    if (TaskBase* t = current_task())
      t->throw_cancelled(cancel_msg_, CancelVia::Future, id_);
    throw CancelledError(cancel_msg_);
  }
  if (error_)
    std::rethrow_exception(error_);
}

// ---------------------------------------------------------------- gather

GatherCore::GatherCore(Loop& loop, std::size_t n, bool return_exceptions)
    : Completion(loop, [n] { return "gather(" + std::to_string(n) + ")"; })
    , nodes_(n)
    , return_exceptions_(return_exceptions)
{}

GatherCore::~GatherCore()
{
  for (Node& n : nodes_)
    n.unlink();
}

void GatherCore::start(TaskBase* const* children)
{
  // asyncio registers a done-callback on each pending child, then runs the callback for the
  // children already done, in order, once the outer future exists.
  std::vector<TaskBase*> already_done;
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    if (children[i]->done())
      already_done.push_back(children[i]);
    else
      nodes_[i].link(this, *children[i], i, &GatherCore::on_child_done);
  }
  for (TaskBase* t : already_done)
    child_done(*t);
  if (nodes_.empty()) {
    collect();
    set_done();
  }
}

void GatherCore::on_child_done(DoneNode* n)
{
  auto* node = static_cast<Node*>(n);
  node->owner->child_done(*node->child);
}

void GatherCore::child_done(TaskBase& child)
{
  ++finished_;
  if (child.failure())
    child.mark_retrieved();  // asyncio: gather's callback calls fut.exception()
  if (done())
    return;
  if (!return_exceptions_) {
    if (child.cancelled()) {
      set_cancelled(child.cancel_message());
      return;
    }
    if (child.failure()) {
      set_exception(child.failure());
      return;
    }
  }
  if (finished_ == nodes_.size()) {
    if (cancel_requested_) {
      // The gather was cancelled: CancelledError whatever return_exceptions says (bpo-32684),
      // with the last child's cancel message.
      set_cancelled(child.cancel_message());
      return;
    }
    collect();
    set_done();
  }
}

bool GatherCore::cancel(std::string_view msg, CancelSource source)
{
  if (done())
    return false;
  bool any = false;
  for (Node& n : nodes_) {
    // Children already done are skipped by TaskBase::cancel (it returns false).
    if (n.child && n.child->cancel(msg, source))
      any = true;
  }
  if (any)
    cancel_requested_ = true;
  return any;
}

// ---------------------------------------------------------------- shield

ShieldCore::ShieldCore(Loop& loop, TaskBase& inner)
    : Completion(
          loop, [&inner] { return "shield(" + inner.name() + ")"; }, AwaitKind::Shield)
{
  if (inner.done()) {
    // asyncio returns the finished task itself: its outcome is ours at once.
    if (inner.cancelled())
      set_cancelled(inner.cancel_message());
    else
      set_done();
    return;
  }
  node_.link(this, inner, 0, &ShieldCore::on_inner_done);
}

void ShieldCore::on_inner_done(DoneNode* n)
{
  auto* node = static_cast<ChildNode<ShieldCore>*>(n);
  ShieldCore& self = *node->owner;
  if (node->child->failure())
    node->child->mark_retrieved();  // asyncio: shield's callback calls inner.exception()
  if (self.done())
    return;  // the outer was cancelled: the inner's outcome goes nowhere
  if (node->child->cancelled())
    self.set_cancelled({});
  else
    self.set_done();  // the awaiter reads the inner task's result or exception
}

// ---------------------------------------------------------------- wait

namespace {
const char* return_when_name(ReturnWhen w)
{
  switch (w) {
    case ReturnWhen::FirstCompleted:
      return "FIRST_COMPLETED";
    case ReturnWhen::FirstException:
      return "FIRST_EXCEPTION";
    case ReturnWhen::AllCompleted:
      return "ALL_COMPLETED";
  }
  return "?";
}
}  // namespace

WaitCore::WaitCore(Loop& loop, ReturnWhen when, std::size_t n)
    : Completion(
          loop,
          [n, when] { return "wait(" + std::to_string(n) + ", " + return_when_name(when) + ")"; })
    , nodes_(n)
    , counter_(n)
    , when_(when)
{}

void WaitCore::start(const std::vector<TaskBase*>& tasks, std::optional<Duration> timeout)
{
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    TaskBase* t = tasks[i];
    if (t->done()) {
      // add_done_callback on a done future: the callback runs on the next iteration.
      loop().call_soon([self = CompletionRef<WaitCore>(this), task = TaskRef<TaskBase>(t)] {
        self->completed(*task);
      });
    } else {
      nodes_[i].link(this, *t, i, &WaitCore::on_task_done);
    }
  }
  if (timeout) {
    timer_ = loop().call_later(*timeout, [self = CompletionRef<WaitCore>(this)] {
      self->set_done();  // _release_waiter
    });
  }
}

void WaitCore::detach() noexcept
{
  timer_.cancel();
  for (Node& n : nodes_)
    n.unlink();
}

void WaitCore::on_task_done(DoneNode* n)
{
  auto* node = static_cast<Node*>(n);
  node->owner->completed(*node->child);
}

void WaitCore::completed(const TaskBase& t)
{
  if (counter_ > 0)
    --counter_;
  if (counter_ == 0 || when_ == ReturnWhen::FirstCompleted ||
      (when_ == ReturnWhen::FirstException && !t.cancelled() && t.failure())) {
    timer_.cancel();
    set_done();
  }
}

Coro<void> wait_tasks(std::vector<TaskBase*> tasks, std::optional<Duration> timeout,
                      ReturnWhen when)
{
  Loop& loop = Loop::running();
  CompletionRef<WaitCore> core(new WaitCore(loop, when, tasks.size()));
  core->start(tasks, timeout);
  // Cancelling the awaiting task cancels this waiter future only (never the tasks); either way
  // the nodes and the timer go with `core`'s detach() below or its destructor.
  struct Detach
  {
    WaitCore* core;
    ~Detach() { core->detach(); }
  } detach{core.get()};
  co_await CompletionAwaiter<WaitCore>(core);
}

// ---------------------------------------------------------------- as_completed

AsCompletedCore::AsCompletedCore(Loop& loop, std::size_t n)
    : loop_(&loop)
    , nodes_(n)
    , counted_(n, false)
    , todo_(n)
{}

AsCompletedCore::~AsCompletedCore()
{
  timer_.cancel();
  for (Node& n : nodes_)
    n.unlink();
}

void AsCompletedCore::start(const std::vector<TaskBase*>& tasks, std::optional<Duration> timeout)
{
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    TaskBase* t = tasks[i];
    if (t->done()) {
      loop_->call_soon([self = TaskRef<AsCompletedCore>(this), i] { self->completed(i); });
    } else {
      nodes_[i].link(this, *t, i, &AsCompletedCore::on_task_done);
    }
  }
  if (todo_ > 0 && timeout) {
    timer_ =
        loop_->call_later(*timeout, [self = TaskRef<AsCompletedCore>(this)] { self->timed_out(); });
  }
}

void AsCompletedCore::on_task_done(DoneNode* n)
{
  auto* node = static_cast<Node*>(n);
  node->owner->completed(node->index);
}

void AsCompletedCore::completed(std::size_t index)
{
  if (todo_ == 0 || counted_[index])
    return;  // the timeout came first
  counted_[index] = true;
  --todo_;
  ready_.push_back(static_cast<std::ptrdiff_t>(index));
  if (todo_ == 0)
    timer_.cancel();
  wake();
}

void AsCompletedCore::timed_out()
{
  for (Node& n : nodes_)
    n.unlink();
  for (; todo_ > 0; --todo_)
    ready_.push_back(-1);
  wake();
}

void AsCompletedCore::wake()
{
  if (getter_ && !getter_->done())
    getter_->set_done();
}

Coro<std::size_t> AsCompletedCore::take()
{
  // The caller holds a reference to this state for the whole await.
  while (ready_.empty()) {
    getter_ = CompletionRef<Completion>(new Completion(*loop_, "as_completed"));
    co_await CompletionAwaiter<>(getter_);
  }
  getter_ = {};
  const std::ptrdiff_t i = ready_.front();
  ready_.pop_front();
  if (i < 0)
    throw TimeoutError();
  co_return static_cast<std::size_t>(i);
}

}  // namespace detail
}  // namespace loopscope::engine
