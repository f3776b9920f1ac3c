// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace loopscope::engine::detail {

/// A FIFO of nodes that live elsewhere (in awaiters inside coroutine frames, or on the heap).
/// `Node` has `Node* prev`, `Node* next` and `bool linked`. Nothing is allocated; removal is O(1)
/// so a node can leave the list from its own destructor.
template <class Node>
class IntrusiveList
{
public:
  IntrusiveList() = default;
  IntrusiveList(const IntrusiveList&) = delete;
  IntrusiveList& operator=(const IntrusiveList&) = delete;

  bool empty() const noexcept { return head_ == nullptr; }
  Node* front() const noexcept { return head_; }

  void push_back(Node* n) noexcept
  {
    n->prev = tail_;
    n->next = nullptr;
    if (tail_ != nullptr)
      tail_->next = n;
    else
      head_ = n;
    tail_ = n;
    n->linked = true;
  }

  /// A no-op for a node that is not linked.
  void remove(Node* n) noexcept
  {
    if (!n->linked)
      return;
    if (n->prev != nullptr)
      n->prev->next = n->next;
    else
      head_ = n->next;
    if (n->next != nullptr)
      n->next->prev = n->prev;
    else
      tail_ = n->prev;
    n->prev = n->next = nullptr;
    n->linked = false;
  }

  /// Empties the list first, then calls `f(node)` on each former node in order, already
  /// unlinked: `f` may free its node or add new nodes to this (now empty) list.
  template <class F>
  void detach_each(F&& f)
  {
    Node* n = head_;
    head_ = tail_ = nullptr;
    while (n != nullptr) {
      Node* next = n->next;
      n->prev = n->next = nullptr;
      n->linked = false;
      f(n);
      n = next;
    }
  }

private:
  Node* head_ = nullptr;
  Node* tail_ = nullptr;
};

}  // namespace loopscope::engine::detail
